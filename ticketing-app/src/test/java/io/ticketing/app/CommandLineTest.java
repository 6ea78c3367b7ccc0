package io.ticketing.app;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @Test
    void migrate_applies_every_migration_to_an_empty_database_then_info_lists_them_as_applied() {
        TestDatabase database = TestPostgres.emptyDatabase();

        int migrated = run("migrate", database);
        int listed = run("info", database);

        assertThat(migrated).isZero();
        assertThat(listed).isZero();
        assertThat(console.out()).contains("Applied ").contains("to schema ticketing");
        assertThat(console.out().lines().filter(line -> line.matches("^\\d+\\s.*")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("Success"));
    }

    @Test
    void migrating_an_up_to_date_database_changes_nothing() {
        TestDatabase database = TestPostgres.emptyDatabase();
        run("migrate", database);
        console.reset();

        assertThat(run("migrate", database)).isZero();
        assertThat(console.out()).contains("is up to date");
    }

    @Test
    void every_command_explains_itself_with_help() {
        CommandLine root = new CommandLine(new Main());
        List<String[]> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(10);
        for (String[] path : paths) {
            console.reset();
            String[] args = Arrays.copyOf(path, path.length + 1);
            args[path.length] = "--help";
            assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
            assertThat(console.out()).as(String.join(" ", args)).contains("Usage: ticketing " + String.join(" ", path));
        }
    }

    @Test
    void every_command_that_offers_version_prints_it() {
        CommandLine root = new CommandLine(new Main());
        List<String[]> paths = new ArrayList<>();
        paths.add(new String[0]);
        collect(root, new ArrayList<>(), paths);
        for (String[] path : paths) {
            console.reset();
            String[] args = Arrays.copyOf(path, path.length + 1);
            args[path.length] = "--version";
            assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
            assertThat(console.out().strip()).as(String.join(" ", args)).startsWith("ticketing ");
        }
    }

    private static void collect(CommandLine command, List<String> path, List<String[]> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || !sub.getCommandName().equals(name)) {
                return; // aliases
            }
            List<String> next = new ArrayList<>(path);
            next.add(name);
            paths.add(next.toArray(String[]::new));
            collect(sub, next, paths);
        });
    }

    @Test
    void an_unknown_flag_is_a_one_line_usage_error() {
        int exit = Main.run("serve", "--no-such-flag");

        assertThat(exit).isEqualTo(2);
        assertThat(console.err().strip().lines()).hasSize(1)
                .first().asString().contains("--no-such-flag").contains("ticketing serve --help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--checkout-expiry=PT0S", "--sweep-every=PT0S", "--sweep-every=PT-5S", "--analytics-refresh-every=PT0S"})
    void a_duration_that_is_not_positive_is_refused_before_anything_starts(String option) {
        console.reset();
        int exit = Main.run("serve", option, "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted");

        assertThat(exit).isEqualTo(2);
        String[] flagAndValue = option.split("=");
        assertThat(console.err().strip().lines()).hasSize(1)
                .first().asString().contains(flagAndValue[0] + " must be positive, got " + flagAndValue[1]);
    }

    @Test
    void a_replica_lag_bound_that_is_not_positive_or_not_a_duration_is_refused_before_anything_starts() {
        assertThat(Main.run("serve", "--max-replica-lag", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted")).isEqualTo(2);
        assertThat(console.err()).contains("--max-replica-lag must be positive, got PT0S");

        assertThat(Main.run("serve", "--max-replica-lag", "soon", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted")).isEqualTo(2);
        assertThat(console.err()).contains("'soon' is not a duration");
    }

    @Test
    void a_read_url_that_is_not_postgresql_is_refused_before_connecting() {
        int exit = Main.run("serve", "--db-read-url", "jdbc:mysql://replica/db", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted");

        assertThat(exit).isEqualTo(2);
        assertThat(console.err().strip().lines()).hasSize(1)
                .first().asString().contains("--db-read-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got 'jdbc:mysql://replica/db'");
    }

    @Test
    void a_duration_is_seconds_milliseconds_minutes_hours_or_iso_8601() {
        DurationConverter duration = new DurationConverter();

        assertThat(duration.convert("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(duration.convert("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(duration.convert("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(duration.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(duration.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(duration.convert("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(duration.convert("-5m")).as("signed, for the command to refuse").isEqualTo(Duration.ofMinutes(-5));
        assertThat(duration.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(duration.convert("pt1m")).isEqualTo(Duration.ofMinutes(1));
        for (String hostile : List.of("soon", "", "5 years", "1e400h", "99999999999999999999h", "PT", "5\u0000s")) {
            assertThatThrownBy(() -> duration.convert(hostile)).as(hostile).hasMessageEndingWith(
                    " is not a duration: give seconds (5, 0.5, 5s), milliseconds (500ms), minutes (5m), hours (1h) or ISO-8601 (PT5S)");
        }
    }

    @Test
    void maintain_thresholds_past_what_the_database_can_compare_are_usage_errors() {
        String url = "jdbc:postgresql://127.0.0.1:1/never-contacted";
        assertThat(Main.run("maintain", "--bloat-min-size", "8796093022208", "--db-url", url)).isEqualTo(2);
        assertThat(console.err().strip().lines()).hasSize(1).first().asString().contains("--bloat-min-size is at most 16777216");
        assertThat(Main.run("maintain", "--stuck-after", "PT999999999999H", "--db-url", url)).isEqualTo(2);
        assertThat(Main.run("maintain", "--sales-view-max-age", "P99999999D", "--db-url", url)).isEqualTo(2);
        assertThat(console.err()).contains("--sales-view-max-age and --stuck-after are at most 36500 days");
    }

    @Test
    void a_negative_duration_is_one_line_in_the_commands_own_words() {
        assertThat(Main.run("maintain", "--stuck-after", "-5m", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted")).isEqualTo(2);
        assertThat(console.err().strip().lines()).hasSize(1).first().asString()
                .contains("--bloat-min-size, --sales-view-max-age and --stuck-after may not be negative");
    }

    @Test
    void an_unreachable_database_is_a_one_line_error_without_a_stack_trace() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int exit = Main.run("info", "--db-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing", "--db-user", "nobody");

        assertThat(exit).isEqualTo(1);
        assertThat(console.err().strip().lines()).hasSize(1)
                .first().asString().startsWith("ticketing: cannot reach the database at 127.0.0.1:" + closedPort + " (connection refused)")
                .contains("--db-url");
    }

    @Test
    void a_url_that_is_not_postgresql_is_refused_before_connecting() {
        int exit = Main.run("migrate", "--db-url", "jdbc:mysql://localhost/db");

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("must be a PostgreSQL JDBC URL");
    }

    @Test
    void refreshing_the_analytics_of_a_database_without_the_schema_is_told_to_migrate_first() {
        List<String> args = new ArrayList<>(List.of("refresh-analytics"));
        args.addAll(TestApplication.commandLineOptions(TestPostgres.emptyDatabase()));

        assertThat(Main.run(args.toArray(String[]::new))).isEqualTo(1);

        assertThat(console.err().strip().lines()).singleElement().asString().contains("run `ticketing migrate` first")
                .doesNotContain("SQLSTATE");
    }

    @Test
    void a_public_key_file_that_is_not_there_is_named_as_missing(@TempDir Path dataDir) {
        String missing = dataDir.resolve("nonexistent.pem").toString();

        assertThat(Main.run("serve", "--jwt-public-key", missing, "--data-dir", dataDir.toString())).isEqualTo(2);

        assertThat(console.err().strip().lines()).singleElement().asString()
                .endsWith("cannot read an RSA public key (PEM, 'BEGIN PUBLIC KEY') from " + missing + ": no such file");
    }

    @Test
    void a_url_the_driver_cannot_read_is_a_usage_error_and_a_password_in_a_url_is_never_shown() {
        for (String port : List.of("99999", "abc")) {
            console.reset();
            assertThat(Main.run("info", "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/x?password=TopSecret")).isEqualTo(2);
            assertThat(console.err().strip().lines()).singleElement().asString()
                    .contains("is not a JDBC URL the PostgreSQL driver can read", "a port from 1 to 65535", "password=***")
                    .doesNotContain("TopSecret", "No suitable driver");
        }
        console.reset();
        assertThat(Main.run("maintain", "--json", "--db-url", "jdbc:postgresql://127.0.0.1:1/x?user=ops&password=TopSecret")).isEqualTo(3);
        assertThat(console.out()).contains("\"database\" : \"jdbc:postgresql://127.0.0.1:1/x?user=ops&password=***\"");
        assertThat(console.out() + console.err()).doesNotContain("TopSecret");
    }

    @Test
    void an_empty_database_url_is_a_usage_error_not_the_embedded_database(@TempDir Path dataDir) {
        // `--db-url "$UNSET"` in a script: it must not start (and migrate) an embedded database instead.
        int exit = Main.run("migrate", "--db-url", "", "--data-dir", dataDir.resolve("data").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("--db-url (env TICKETING_DB_URL) is empty");
        assertThat(dataDir.resolve("data")).doesNotExist();
    }

    @Test
    void an_empty_database_user_is_a_usage_error_not_the_operating_systems_user() {
        for (String[] args : List.of(new String[]{"info"}, new String[]{"legacy", "verify"})) {
            console.reset();
            List<String> given = new java.util.ArrayList<>(List.of(args));
            given.addAll(List.of("--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted", "--db-user", ""));

            assertThat(Main.run(given.toArray(String[]::new))).as(given.toString()).isEqualTo(2);
            assertThat(console.err().strip().lines()).as(given.toString()).singleElement().asString()
                    .isEqualTo("ticketing: --db-user (env TICKETING_DB_USER) is empty: give the database user, or leave it out for the "
                            + "URL's own (user=…) or the operating system's");
        }
    }

    @Test
    void legacy_without_a_subcommand_is_a_one_line_usage_error_naming_them() {
        assertThat(Main.run("legacy")).isEqualTo(2);

        assertThat(console.out()).isEmpty();
        assertThat(console.err().strip().lines()).singleElement().asString().isEqualTo("ticketing: Missing required subcommand: one of "
                + "plan, import, verify, rollback, finalize, generate (see 'ticketing legacy --help')");
    }

    @Test
    void what_the_operator_gave_is_echoed_with_its_control_characters_escaped_not_played_on_the_terminal() {
        assertThat(Main.run("legacy", "import", "--currency", "E\u001b[2JR", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"))
                .isEqualTo(2);
        assertThat(Main.run("serve", "--no-such\u0007flag")).isEqualTo(2);

        assertThat(console.err()).doesNotContain("\u001b", "\u0007").contains("got E\\u001b[2JR", "--no-such\\u0007flag");
    }

    @Test
    void a_key_name_over_two_lines_is_a_usage_error_and_creates_no_key() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        List<String> args = new ArrayList<>(List.of("admin", "create-key", "--role", "STAFF", "--name", "ann\nadmin:root"));
        args.addAll(TestApplication.commandLineOptions(database));
        console.reset(); // what starting the test database printed

        assertThat(Main.run(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString()
                .contains("--name: API key name must not contain control characters");
        assertThat(console.out()).as("no key printed").isEmpty();
    }

    @Test
    void a_key_name_that_shows_nothing_is_a_usage_error_and_creates_no_key() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        List<String> args = new ArrayList<>(List.of("admin", "create-key", "--role", "STAFF", "--name", "\u00A0\u200B"));
        args.addAll(TestApplication.commandLineOptions(database));

        int exit = Main.run(args.toArray(String[]::new));

        assertThat(exit).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("--name: API key name must not be blank");
        assertThat(console.out()).as("no key printed").isEmpty();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             ResultSet keys = c.createStatement().executeQuery("SELECT count(*) FROM ticketing.api_key")) {
            keys.next();
            assertThat(keys.getLong(1)).as("keys stored").isZero();
        }
    }

    private static int run(String command, TestDatabase database) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(TestApplication.commandLineOptions(database));
        return Main.run(args.toArray(String[]::new));
    }
}
