package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import io.ticketing.database.DatabaseErrors;
import org.flywaydb.core.api.FlywayException;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigratorTest {

    @Test
    void migrates_an_empty_database_to_the_whole_schema_then_has_nothing_left_to_do() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        SchemaMigrator migrator = new SchemaMigrator(database.dataSource());

        assertThat(migrator.isCurrent()).isFalse();
        assertThat(migrator.migrate()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26");
        assertThat(migrator.migrate()).isEmpty();

        migrator.validate();
        assertThat(migrator.isCurrent()).isTrue();
        // Flyway also lists its creation of the schema, as an unversioned entry.
        var versioned = migrator.info();
        assertThat(versioned).extracting(SchemaMigrator.Migration::version).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26");
        assertThat(versioned).extracting(SchemaMigrator.Migration::state).containsOnly("Success");
        try (Connection connection = MigratedDatabase.connect(database)) {
            assertThat(MigratedDatabase.single(connection,
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ticketing' AND table_name = 'event_summary'"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void a_copy_of_the_migrated_template_is_current_and_valid() {
        TestDatabase database = MigratedDatabase.fresh();
        SchemaMigrator migrator = new SchemaMigrator(database.dataSource());

        assertThat(migrator.migrate()).isEmpty();
        migrator.validate();
        assertThat(migrator.isCurrent()).isTrue();
    }

    @Test
    void a_concurrent_index_build_that_timed_out_behind_a_long_transaction_is_retried_by_the_next_migrate() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        assertThat(SchemaMigrator.upTo(database.dataSource(), "5").migrate()).containsExactly("1", "2", "3", "4", "5");
        SchemaMigrator migrator = new SchemaMigrator(database.dataSource());

        try (Connection longTransaction = database.connect(); Statement statement = longTransaction.createStatement()) {
            // A transaction writing to booking, open for longer than V6's lock_timeout: its index build gives up.
            longTransaction.setAutoCommit(false);
            statement.execute("LOCK TABLE ticketing.booking IN ROW EXCLUSIVE MODE");
            assertThatThrownBy(migrator::migrate).isInstanceOf(FlywayException.class)
                    .satisfies(e -> assertThat(DatabaseErrors.oneLine(e)).contains("55P03", "run the command again"));
            longTransaction.rollback();
        }
        assertThat(migrator.info()).extracting(SchemaMigrator.Migration::state).contains("Failed");

        // Once that transaction ended, the same command goes on where it stopped.
        assertThat(migrator.migrate()).containsExactly("6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26");
        assertThat(migrator.isCurrent()).isTrue();
        try (Connection connection = MigratedDatabase.connect(database)) {
            assertThat(MigratedDatabase.single(connection,
                    "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'booking_review_idx' AND i.indisvalid"))
                    .isEqualTo(1L);
        }
    }
}
