package io.ticketing.app;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --db-pooled}: the work that keeps session state between transactions (Flyway's session lock, the legacy
 * rehearsal's temporary tables, REINDEX CONCURRENTLY's lock_timeout) goes to {@code --db-direct-url}, and without
 * one is refused in one line, exit 2, before it changes anything (a legacy import: when it would migrate).
 */
class PooledCommandLineTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @TempDir
    Path workDirectory;

    @Test
    void work_that_keeps_session_state_is_refused_behind_a_pooler_without_a_direct_url() throws Exception {
        TestDatabase empty = TestPostgres.emptyDatabase();
        TestDatabase migrated = TestApplication.migratedDatabase();
        List<List<String>> refused = List.of(
                pooledWithoutDirectUrl(empty, "migrate"),
                pooledWithoutDirectUrl(empty, "legacy", "import", "--no-progress"),
                pooledWithoutDirectUrl(empty, "legacy", "plan"),
                pooledWithoutDirectUrl(empty, "serve", "--port", "0", "--jwt-secret", TestApplication.JWT_SECRET,
                        "--webhook-secret", TestApplication.WEBHOOK_SECRET),
                pooledWithoutDirectUrl(migrated, "maintain", "--reindex"));
        for (List<String> args : refused) {
            console.reset();

            int exit = Main.run(args.toArray(String[]::new));

            assertThat(exit).as(String.join(" ", args)).isEqualTo(2);
            assertThat(console.err().strip().lines()).as(String.join(" ", args)).singleElement().asString()
                    .startsWith("ticketing: ").contains("--db-direct-url").doesNotContain("\tat ");
        }
        assertThat(schemas(empty)).as("nothing was migrated or imported").doesNotContain("ticketing");
    }

    @Test
    void a_direct_url_that_reaches_another_database_than_the_pooled_one_is_refused_before_anything_changes() throws Exception {
        TestDatabase pooled = TestPostgres.emptyDatabase();
        TestDatabase other = TestPostgres.emptyDatabase();
        for (List<String> command : List.of(List.of("migrate"), List.of("legacy", "import", "--no-progress"), List.of("legacy", "plan"))) {
            console.reset();
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--db-url", pooled.jdbcUrl(), "--db-pooled", "--db-direct-url", other.jdbcUrl(),
                    "--db-user", pooled.user(), "--db-password", pooled.password()));

            int exit = Main.run(args.toArray(String[]::new));

            assertThat(exit).as(String.join(" ", command)).isEqualTo(2);
            assertThat(console.err().strip().lines()).as(String.join(" ", command)).singleElement().asString()
                    .startsWith("ticketing: --db-url and --db-direct-url reach different databases (database ")
                    .endsWith("--db-direct-url must be the PostgreSQL server behind the pooler, its same database");
        }
        assertThat(schemas(pooled)).as("nothing migrated or imported").doesNotContain("ticketing", "ticketing_import");
        assertThat(schemas(other)).doesNotContain("ticketing", "ticketing_import");
    }

    @Test
    void without_a_direct_url_the_commands_that_migrate_on_start_go_on_when_the_schema_is_current() {
        TestDatabase migrated = TestApplication.migratedDatabase();

        int exit = Main.run(pooledWithoutDirectUrl(migrated, "admin", "create-key", "--role", "STAFF").toArray(String[]::new));

        assertThat(exit).isZero();
        assertThat(console.out().strip()).as("the key").isNotEmpty();
        assertThat(console.err()).contains("Created a STAFF key");
    }

    @Test
    void pooled_needs_a_url_since_the_embedded_database_has_no_pooler() {
        int exit = Main.run("migrate", "--db-pooled", "--data-dir", workDirectory.resolve("data").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err().strip()).isEqualTo("ticketing: --db-pooled needs --db-url, the pooler's address "
                + "(the embedded PostgreSQL has no pooler in front of it)");
    }

    @Test
    void a_direct_url_without_pooled_is_refused_as_half_a_configuration() {
        for (String command : List.of("info", "legacy")) {
            console.reset();
            List<String> args = new ArrayList<>(command.equals("legacy") ? List.of("legacy", "verify") : List.of(command));
            args.addAll(List.of("--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted", "--db-direct-url",
                    "jdbc:postgresql://127.0.0.1:1/never-contacted"));

            int exit = Main.run(args.toArray(String[]::new));

            assertThat(exit).as(command).isEqualTo(2);
            assertThat(console.err().strip()).as(command).isEqualTo("ticketing: --db-direct-url (env TICKETING_DB_DIRECT_URL) is only "
                    + "for a pooled --db-url: add --db-pooled (env TICKETING_DB_POOLED=true) if --db-url is a PgBouncer, or drop --db-direct-url");
        }
    }

    @Test
    void with_a_direct_url_migrations_go_past_the_pooler_and_the_rest_through_it() {
        TestDatabase empty = TestPostgres.emptyDatabase();
        List<String> options = pooledWithoutDirectUrl(empty);
        options.addAll(List.of("--db-direct-url", TestPostgres.direct(empty).jdbcUrl()));

        assertThat(Main.run(concat(List.of("migrate"), options))).isZero();
        assertThat(console.out()).contains("Applied ").contains("(through a transaction pooler)");
        assertThat(Main.run(concat(List.of("refresh-analytics"), options))).isZero();
        assertThat(Main.run(concat(List.of("maintain", "--reindex", "--analyze"), options))).isZero();
    }

    /** {@code args}, then the database through the tests' pooler (if any) as --db-url, said to be pooled. */
    private static List<String> pooledWithoutDirectUrl(TestDatabase database, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password(),
                "--db-pooled"));
        return all;
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }

    private static List<String> schemas(TestDatabase database) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = TestPostgres.direct(database).connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT nspname FROM pg_namespace")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
