package io.ticketing.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `ticketing maintain` as an operator runs it: the report, its exit code, --json for monitoring, --repair. */
class MaintainCommandTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @Test
    void a_sound_database_is_healthy_and_exits_0() {
        TestDatabase database = TestApplication.migratedDatabase();

        assertThat(run(database)).isZero();
        assertThat(console.out()).contains("invariants", "summaries", "indexes", "triggers").contains("Healthy");
    }

    @Test
    void drift_is_a_problem_with_exit_1_in_json_and_repair_fixes_it_with_exit_0() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        UUID event = UUID.randomUUID();
        sql(database, "INSERT INTO ticketing.event (id, title, starts_at, currency, status) VALUES ('" + event
                + "', 'Drift', now() + interval '1 day', 'EUR', 'PUBLISHED')",
                "UPDATE ticketing.event_summary_shard SET seats_total = 9 WHERE event_id = '" + event + "' AND shard = 0");

        assertThat(run(database, "--json")).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(console.out());
        assertThat(report.get("healthy").asBoolean()).isFalse();
        assertThat(report.get("checked").asBoolean()).isTrue();
        assertThat(report.get("problems").asInt()).isEqualTo(1);
        List<JsonNode> problems = new ArrayList<>();
        report.get("findings").forEach(finding -> {
            if (finding.get("severity").asText().equals("PROBLEM")) {
                problems.add(finding);
            }
        });
        assertThat(problems).singleElement().satisfies(drift -> {
            assertThat(drift.get("section").asText()).isEqualTo("summaries");
            assertThat(drift.get("count").asLong()).isEqualTo(1);
            assertThat(drift.get("examples").get(0).asText()).startsWith("event " + event).contains("seats_total 9 -> 0");
        });

        console.reset();
        assertThat(run(database, "--repair")).isZero();
        assertThat(console.out()).contains("done     recount the summary of event " + event + ": repaired").contains("Healthy");
    }

    @Test
    void the_text_report_shows_five_examples_and_says_how_many_more_the_json_only_examples() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        List<String> statements = new ArrayList<>();
        for (int k = 0; k < 7; k++) {
            UUID event = UUID.randomUUID();
            statements.add("INSERT INTO ticketing.event (id, title, starts_at, currency, status) VALUES ('" + event
                    + "', 'Drift', now() + interval '1 day', 'EUR', 'PUBLISHED')");
            statements.add("UPDATE ticketing.event_summary_shard SET seats_total = 9 WHERE event_id = '" + event + "' AND shard = 0");
        }
        sql(database, statements.toArray(new String[0]));

        assertThat(run(database)).isEqualTo(1);
        assertThat(console.out()).contains("… and 2 more");
        console.reset();
        assertThat(run(database, "--json")).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(console.out());
        List<JsonNode> drift = new ArrayList<>();
        report.get("findings").forEach(finding -> {
            if (finding.get("section").asText().equals("summaries")) {
                drift.add(finding);
            }
        });
        assertThat(drift).singleElement().satisfies(finding -> {
            assertThat(finding.get("count").asLong()).isEqualTo(7);
            assertThat(finding.get("examples")).hasSize(5).allSatisfy(example -> assertThat(example.asText()).startsWith("event "));
        });
    }

    @Test
    void a_bad_threshold_is_a_one_line_usage_error_with_exit_2() {
        TestDatabase database = TestApplication.migratedDatabase();

        assertThat(run(database, "--bloat-threshold", "0")).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("--bloat-threshold must be from 1 to 99");
    }

    @Test
    void on_a_read_only_session_each_repair_asked_for_fails_in_the_report_and_changes_nothing() throws Exception {
        TestDatabase database = TestPostgres.direct(TestApplication.migratedDatabase());
        // An invalid index (a failed concurrent build), which --reindex would rebuild: on a read-only session the rebuild
        // could not drop its copy and left one more invalid index each run.
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ticketing.maintain_probe (k int)");
            statement.execute("INSERT INTO ticketing.maintain_probe VALUES (1), (1)");
            assertThatThrownBy(() -> statement.execute(
                    "CREATE UNIQUE INDEX CONCURRENTLY maintain_probe_k ON ticketing.maintain_probe (k)")).isInstanceOf(SQLException.class);
        }
        String indexes = "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY 1) FROM pg_index "
                + "WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'ticketing'::regnamespace)";
        String before = text(database, indexes);
        String readOnly = database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20default_transaction_read_only%3Don";

        int exit = Main.run("maintain", "--db-url", readOnly, "--db-user", database.user(), "--db-password", database.password(),
                "--repair", "--reindex", "--analyze", "--refresh");

        assertThat(exit).isEqualTo(1);
        for (String option : List.of("--repair", "--reindex", "--analyze", "--refresh")) {
            assertThat(console.out()).contains("FAILED   maintain " + option + ": refused: this session is read-only "
                    + "(default_transaction_read_only): run the repairs against the primary");
        }
        assertThat(console.out()).contains("invariants", "summaries", "indexes");
        assertThat(console.err()).isEmpty();
        assertThat(text(database, indexes)).as("no half-built index left behind").isEqualTo(before);
    }

    @Test
    void an_unreachable_direct_url_is_named_as_itself_not_as_the_pooled_one() {
        TestDatabase database = TestPostgres.direct(TestApplication.migratedDatabase());

        int exit = Main.run("maintain", "--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password(),
                "--db-pooled", "--db-direct-url", "jdbc:postgresql://127.0.0.1:1/elsewhere", "--reindex");

        assertThat(exit).isNotZero();
        assertThat(console.err().strip().lines()).singleElement().asString().startsWith("ticketing: cannot reach the database at 127.0.0.1:1")
                .contains("check --db-direct-url and that the server is running").doesNotContain("--db-url ");
    }

    @Test
    void a_database_without_the_schema_is_told_to_migrate_first_with_exit_3_not_checked() {
        assertThat(run(TestPostgres.emptyDatabase())).isEqualTo(3);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("run `ticketing migrate` first");
    }

    @Test
    void a_role_that_may_not_read_the_schema_is_told_so_with_exit_3() throws Exception {
        Assumptions.assumeTrue(TestPostgres.ownServer(), "creates a role: only on the test JVM's own server (CI's shared one gives no CREATEROLE)");
        TestDatabase database = TestPostgres.direct(TestApplication.migratedDatabase());
        String role = "maintain_unprivileged_" + UUID.randomUUID().toString().substring(0, 8);
        sql(database, "CREATE ROLE " + role + " LOGIN PASSWORD 'unprivileged'");

        assertThat(Main.run("maintain", "--db-url", database.jdbcUrl(), "--db-user", role, "--db-password", "unprivileged")).isEqualTo(3);

        assertThat(console.err().strip().lines()).singleElement().asString()
                .isEqualTo("ticketing: this role may not read the schema ticketing (ERROR: permission denied for schema ticketing): run the "
                        + "command as the schema's owner, or as a role granted USAGE on schema ticketing and SELECT on its tables (SQLSTATE 42501)");
    }

    @Test
    void an_unreachable_database_is_exit_3_and_json_says_why_on_stdout() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:1/nobody-listens";

        assertThat(Main.run("maintain", "--db-url", url, "--json")).isEqualTo(3);

        JsonNode report = new ObjectMapper().readTree(console.out());
        assertThat(report.get("database").asText()).isEqualTo(url);
        assertThat(report.get("healthy").asBoolean()).isFalse();
        assertThat(report.get("checked").asBoolean()).isFalse();
        assertThat(report.get("error").asText()).contains("127.0.0.1:1");
        assertThat(console.err().strip().lines()).singleElement().asString().startsWith("ticketing: ").contains("127.0.0.1:1");
    }

    private static int run(TestDatabase database, String... options) {
        List<String> args = new ArrayList<>(List.of("maintain"));
        args.addAll(TestApplication.commandLineOptions(database));
        args.addAll(List.of(options));
        return Main.run(args.toArray(String[]::new));
    }

    private static String text(TestDatabase database, String query) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }

    private static void sql(TestDatabase database, String... statements) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
