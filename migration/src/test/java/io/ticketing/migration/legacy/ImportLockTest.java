package io.ticketing.migration.legacy;

import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The import lock is a transaction's, held open on a connection of its own for as long as an import, rollback or
 * finalize runs (verifies share it): what it must not do meanwhile is hold back the rest of the database.
 */
class ImportLockTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void while_it_is_held_vacuum_and_create_index_concurrently_are_not_held_back_whatever_the_default_isolation(boolean fencing)
            throws Exception {
        // The fence's form also reads the application's running instances, on a schema that has them.
        TestDatabase database = fencing ? TestPostgres.freshDatabase("ticketing", d -> new SchemaMigrator(d.dataSource()).migrate())
                : TestPostgres.emptyDatabase();
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, "CREATE TABLE scratch (id int)");
            // A default under which the lock's first query would fix a snapshot for the whole transaction.
            Jdbc.script(connection, "ALTER DATABASE " + Jdbc.quoteIdent(database.name()) + " SET default_transaction_isolation = 'repeatable read'");
        }

        try (ImportLock held = fencing ? ImportLock.fencing(database.dataSource(), "import") : ImportLock.exclusive(database.dataSource(), "import");
             Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND state = 'idle in transaction' AND backend_xmin IS NULL")).as("the lock's transaction, without a snapshot").isOne();
            // CREATE INDEX CONCURRENTLY waits for every transaction with an older snapshot: with one, this gives up.
            Jdbc.script(connection, "SET lock_timeout = '2s'");
            Jdbc.script(connection, "CREATE INDEX CONCURRENTLY scratch_id ON scratch (id)");
            assertThat(Jdbc.exists(connection, "public", "scratch_id")).isTrue();
        }
    }

    @Test
    void verifies_share_it_and_anything_else_waits_for_the_holder_to_end() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();

        try (ImportLock first = ImportLock.shared(database.dataSource(), "verify");
             ImportLock second = ImportLock.shared(database.dataSource(), "verify")) {
            assertThatThrownBy(() -> ImportLock.exclusive(database.dataSource(), "import").close())
                    .hasMessageStartingWith("another legacy import, verify, rollback or finalize is running on this database (")
                    .hasMessageEndingWith("; import refused: wait for it to finish");
        }
        try (ImportLock held = ImportLock.exclusive(database.dataSource(), "import")) {
            assertThatThrownBy(() -> ImportLock.shared(database.dataSource(), "verify").close())
                    .hasMessageEndingWith("; verify refused: wait for it to finish");
        }
        ImportLock.exclusive(database.dataSource(), "import").close();
    }

    @Test
    void a_lock_whose_transaction_was_ended_under_its_holder_stops_the_work_it_guards() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();

        try (ImportLock held = ImportLock.exclusive(database.dataSource(), "import"); Connection connection = database.connect()) {
            held.check();
            // What a script that ends idle transactions, or a pooler's idle transaction timeout, does.
            assertThat(Jdbc.single(connection, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND state = 'idle in transaction'")).isEqualTo(true);

            assertThatThrownBy(held::check).hasMessageStartingWith("lost the import lock (")
                    .hasMessageEndingWith("stopped so that no other import, rollback or finalize runs beside this one: run the command again");
        }
        ImportLock.exclusive(database.dataSource(), "import").close();
    }

    @Test
    void an_import_or_a_rollback_refuses_while_the_application_runs_and_none_may_serve_while_one_runs() throws Exception {
        TestDatabase database = TestPostgres.freshDatabase("ticketing", d -> new SchemaMigrator(d.dataSource()).migrate());
        ServingInstance serve = new ServingInstance("serve");
        try (Connection connection = database.connect()) {
            serve.renew(connection);
            try (ImportLock fence = ImportLock.fencing(database.dataSource(), "rollback")) {
                assertThatThrownBy(() -> ServingInstance.requireNoneRunning(database.dataSource(), "rollback"))
                        .hasMessageStartingWith("rollback refused: the application is running on this database (`serve` on ")
                        .hasMessageContaining(", pid " + ProcessHandle.current().pid() + ", seen ").hasMessageContaining(" s ago)");
            }
            assertThat(LegacyImportState.of(connection).servable()).as("the refusal let go of everything").isTrue();
            // finalize and verify run beside the application.
            ImportLock.exclusive(database.dataSource(), "finalize").close();

            // An instance that died without unregistering: forgotten once its row is older than its lease, and a margin.
            Jdbc.update(connection, "UPDATE ticketing.serving_instance SET last_seen_at = last_seen_at - interval '21 seconds'");
            try (ImportLock fence = ImportLock.fencing(database.dataSource(), "import")) {
                ServingInstance.requireNoneRunning(database.dataSource(), "import");
                LegacyImportState state = LegacyImportState.of(connection);
                assertThat(state.state()).as("an instance renewing now is told to stop writing").isEqualTo(LegacyImportState.State.BUSY);
                assertThat(state.detail()).startsWith("a legacy import or rollback is running on this database (")
                        .endsWith("): the application may not write until it ends");
            }
            assertThat(LegacyImportState.of(connection).servable()).isTrue();

            serve.renew(connection);
            serve.forget(connection);
            ServingInstance.requireNoneRunning(database.dataSource(), "import"); // stopped cleanly: forgotten at once
        }
    }
}
