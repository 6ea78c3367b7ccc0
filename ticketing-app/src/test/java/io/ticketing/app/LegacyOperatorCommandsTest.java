package io.ticketing.app;

import io.ticketing.app.TestApplication.Response;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./ticketing legacy …} as an operator runs it: every refusal and failure is one line on
 * stderr with a non-zero exit code, and says what was found or what to do.
 */
class LegacyOperatorCommandsTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @ParameterizedTest
    @ValueSource(strings = {"plan", "import", "verify", "rollback", "finalize", "generate"})
    void every_legacy_command_says_in_one_line_that_a_closed_port_cannot_be_reached(String command) throws Exception {
        int port = closedPort();

        int exit = Main.run("legacy", command, "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/shop", "--db-user", "nobody");

        assertThat(exit).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("ticketing: cannot reach the database at 127.0.0.1:" + port
                + " (connection refused); check --db-url and that the server is running and reachable from here");
    }

    @Test
    void the_other_commands_use_the_same_words_for_an_unreachable_database() throws Exception {
        int port = closedPort();

        int exit = Main.run("info", "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/shop", "--db-user", "nobody");

        assertThat(exit).isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: cannot reach the database at 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void a_host_that_drops_connection_attempts_times_out_as_unreachable_not_as_an_ssl_error() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // A listen queue that is full: the kernel drops further connection attempts, as an unroutable host does.
            List<Socket> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(full.getLocalSocketAddress(), 300);
                } catch (java.io.IOException dropped) {
                    // already full
                }
                queued.add(socket);
            }
            int port = full.getLocalPort();

            int exit = Main.run("legacy", "verify", "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/shop?connectTimeout=1&loginTimeout=10",
                    "--db-user", "nobody");

            assertThat(exit).isEqualTo(1);
            assertThat(oneErrorLine()).startsWith("ticketing: cannot reach the database at 127.0.0.1:" + port + " (connect timed out)")
                    .doesNotContainIgnoringCase("ssl");
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    @Test
    void a_server_that_accepts_but_never_answers_fails_within_the_login_timeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = silent.getLocalPort();

            int exit = Main.run("legacy", "plan", "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/shop?loginTimeout=2&sslResponseTimeout=500",
                    "--db-user", "nobody");

            assertThat(exit).isEqualTo(1);
            assertThat(oneErrorLine()).startsWith("ticketing: cannot reach the database at 127.0.0.1:" + port + " (");
        }
    }

    @Test
    void a_port_where_another_kind_of_server_answers_is_named_as_such() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            answer(http, false, "HTTP/1.1 400 Bad Request\r\n\r\n");

            int exit = Main.run("legacy", "verify", "--db-url", "jdbc:postgresql://127.0.0.1:" + http.getLocalPort() + "/shop",
                    "--db-user", "nobody");

            assertThat(exit).isEqualTo(1);
            assertThat(oneErrorLine()).contains("does not answer as PostgreSQL").doesNotContain("SSL");
        }
    }

    @Test
    void a_port_where_a_server_answers_with_a_banner_is_no_postgresql_not_an_ssl_problem() throws Exception {
        try (ServerSocket ssh = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // An SSH server greets first; its "S" reads as "yes" to the driver's SSL request.
            answer(ssh, true, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");

            int exit = Main.run("legacy", "verify", "--db-url", "jdbc:postgresql://127.0.0.1:" + ssh.getLocalPort() + "/shop?loginTimeout=5",
                    "--db-user", "nobody");

            assertThat(exit).isEqualTo(1);
            assertThat(oneErrorLine()).startsWith("ticketing: cannot reach the database at 127.0.0.1:" + ssh.getLocalPort()
                    + " (the server there does not answer as PostgreSQL: the SSL handshake failed");
        }
    }

    @Test
    void a_url_that_requires_ssl_of_a_server_without_it_says_so_not_that_the_login_is_wrong() {
        TestDatabase database = TestPostgres.emptyDatabase();
        String url = database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "sslmode=require";

        int exit = Main.run("legacy", "verify", "--db-url", url, "--db-user", database.user(), "--db-password", database.password());

        assertThat(exit).isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: the database at ").contains("does not support SSL, which --db-url requires")
                .doesNotContain("--db-password");
    }

    @Test
    void a_port_out_of_range_is_one_line_and_the_driver_logs_no_warning_of_its_own() {
        List<java.util.logging.LogRecord> driverLog = new java.util.ArrayList<>();
        java.util.logging.Handler recorder = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                driverLog.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger driver = java.util.logging.Logger.getLogger("org.postgresql");
        driver.addHandler(recorder);
        try {
            int exit = Main.run("legacy", "plan", "--db-url", "jdbc:postgresql://127.0.0.1:99999/shop", "--db-user", "nobody");

            assertThat(exit).isEqualTo(2);
            assertThat(oneErrorLine()).startsWith("ticketing: ");
            // Its default handler writes to the process's stderr: a WARNING there was two more lines before ours.
            assertThat(driverLog).isEmpty();
        } finally {
            driver.removeHandler(recorder);
        }
    }

    @Test
    void wrong_logins_and_databases_say_which() {
        TestDatabase database = TestPostgres.emptyDatabase();
        String missing = database.jdbcUrl().replace(database.name(), "no_such_database");

        int exit = Main.run("legacy", "verify", "--db-url", missing, "--db-user", database.user(), "--db-password", database.password());

        assertThat(exit).isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: no such database at ").contains("no_such_database").contains("--db-url");
    }

    @Test
    void hostile_flags_and_urls_are_one_line_usage_errors() {
        List<String[]> cases = List.of(
                new String[]{"legacy", "plan", "--db-url"},
                new String[]{"legacy", "plan", "--db-url", "jdbc:mysql://localhost/shop"},
                new String[]{"legacy", "plan", "--db-url", "shop"},
                new String[]{"legacy", "plan", "--db-url", ""},
                new String[]{"legacy", "plan", "--no-such-flag"},
                new String[]{"legacy", "verify", "extra-argument"},
                new String[]{"legacy", "no-such-command"},
                new String[]{"legacy", "plan", "--batch-size", "abc", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "plan", "--batch-size", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--workers", "17", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--lock-timeout", "soon", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--lock-timeout", "-5s", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--retries", "-1", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--throttle-ms", "-1", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "plan", "--currency", "euro", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                // Three capitals that no currency has: the served events would fail to load (java.util.Currency refuses them).
                new String[]{"legacy", "import", "--currency", "XYZ", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--currency", "ABC", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "plan", "--currency", "XYZ", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                // PostgreSQL's lock_timeout stops at INT_MAX ms; the import takes at most an hour.
                new String[]{"legacy", "import", "--lock-timeout", "9999999s", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--lock-timeout", "3600001ms", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--lock-timeout", "1e30s", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--throttle-ms", "60001", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "import", "--retries", "2147483647", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                // Fewer seats than the 6 events that hold every planted anomaly, or more than generate makes.
                new String[]{"legacy", "generate", "--seats", "-1", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "generate", "--seats", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "generate", "--seats", "2999", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                new String[]{"legacy", "generate", "--seats", "2147483647", "--db-url", "jdbc:postgresql://127.0.0.1:1/never-contacted"},
                // An option given twice, in one place or before and after the subcommand: which one was meant is a guess.
                new String[]{"legacy", "verify", "--db-url", "jdbc:postgresql://127.0.0.1:1/a", "--db-url", "jdbc:postgresql://127.0.0.1:1/b"},
                new String[]{"legacy", "--db-url", "jdbc:postgresql://127.0.0.1:1/a", "verify", "--db-url", "jdbc:postgresql://127.0.0.1:1/b"},
                new String[]{"legacy", "--db-user", "ann", "import", "--db-user", "bob", "--db-url", "jdbc:postgresql://127.0.0.1:1/a"});
        for (String[] args : cases) {
            console.reset();

            int exit = Main.run(args);

            assertThat(exit).as(String.join(" ", args)).isEqualTo(2);
            assertThat(console.err().strip().lines()).as(String.join(" ", args)).hasSize(1)
                    .first().asString().startsWith("ticketing: ");
        }
        assertThat(oneErrorLine()).isEqualTo("ticketing: --db-user was given before `import` and after it: give it once");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a serve that is not refused would serve until interrupted
    void generate_notes_a_rounded_seat_count_and_a_copy_only_import_says_what_is_left_to_do_and_is_not_served() throws SQLException {
        TestDatabase shop = TestPostgres.emptyDatabase();

        assertThat(legacy("generate", shop, "--seats", "3250")).isZero();
        assertThat(console.out()).contains("note: --seats 3250 rounded up to 3500, whole events of 500 seats");
        console.reset();
        assertThat(serve(shop)).as("the legacy app sells here").isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: serve refused: this database holds the legacy app's tables and no legacy "
                + "import into it has begun to copy");
        console.reset();
        assertThat(legacy("import", shop, "--no-progress", "--no-catch-up", "--currency", "eur")).as("a code in small letters means its capitals").isZero();

        List<String> lines = console.out().strip().lines().toList();
        assertThat(lines.get(lines.size() - 1)).startsWith("import: copy done; every legacy row is migrated or quarantined")
                .endsWith("the catch-up and the cut-over are still to do: run `legacy import` again without --no-catch-up when ready to switch");
        try (Connection connection = shop.connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM \"Seat\"")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(3500);
        }
        try (Connection connection = shop.connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT string_agg(DISTINCT currency, ',') FROM ticketing.event")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("EUR");
        }

        // Until the cut-over the new schema is not to be served: serve refuses, /ready and maintain say why.
        console.reset();
        assertThat(serve(shop)).isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: serve refused: a legacy import into this database has not reached its "
                        + "cut-over (started at ")
                .contains(", copy done, catch-up and cut-over to do)")
                .endsWith("finish it with `ticketing legacy import`, or undo it with `ticketing legacy rollback`");
        String event;
        try (Connection connection = shop.connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT min(id::text) FROM ticketing.event")) {
            rows.next();
            event = rows.getString(1);
        }
        console.reset();
        assertThat(TestApplication.command(Stream.concat(Stream.of("cancel-event", event, "--reason", "storm"),
                TestApplication.commandLineOptions(shop).stream()).toArray(String[]::new))).as("it would undo sales of the legacy app's")
                .isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: cancel-event refused: a legacy import into this database has not reached");
        assertThatThrownBy(() -> TestApplication.startOn(shop).close()).as("an embedder's start is refused the same way")
                .hasMessageStartingWith("serve refused: a legacy import into this database has not reached its cut-over");
        console.reset();
        assertThat(maintain(shop)).isEqualTo(1);
        assertThat(console.out()).contains("legacy import\n  PROBLEM  state (1): a legacy import into this database has not");
        console.reset();
        assertThat(maintain(shop, "--repair", "--analyze")).as("repairs wait for the import").isEqualTo(1);
        assertThat(console.out()).contains("FAILED   maintain --repair: refused: a legacy import into this database has not",
                "FAILED   maintain --analyze: refused: a legacy import", "legacy import\n  PROBLEM  state (1)");

        console.reset();
        assertThat(legacy("import", shop, "--no-progress")).isZero();
        console.reset();
        maintain(shop);
        assertThat(console.out()).contains("legacy import\n  ok       state: the legacy import cut over at ",
                "  ok       legacy changes since the cut-over: none");
        // The legacy app, not yet switched off, sells on: the new schema does not have it, and maintain says so.
        try (Connection connection = shop.connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE \"Seat\" SET price = price + 1 WHERE id = (SELECT min(id) FROM \"Seat\")");
        }
        console.reset();
        assertThat(maintain(shop)).isEqualTo(1);
        assertThat(console.out()).contains("  PROBLEM  legacy changes since the cut-over (1): the legacy app changed legacy rows");
        console.reset();
        assertThat(legacy("import", shop, "--no-progress")).as("carried over, the new application not having written").isZero();
        console.reset();
        maintain(shop);
        assertThat(console.out()).contains("  ok       legacy changes since the cut-over: none");
        try (TestApplication api = TestApplication.startOn(shop)) {
            Response ready = api.anonymous().get("/ready");
            assertThat(ready.status()).as(ready.toString()).isEqualTo(200);

            // The application serves: an import or a rollback would write beside it or drop its tables.
            for (String command : List.of("import", "rollback")) {
                console.reset();
                assertThat(legacy(command, shop)).as(command).isEqualTo(1);
                assertThat(oneErrorLine()).as(command).startsWith("ticketing: " + command + " refused: the application is running "
                                + "on this database (`serve` on ")
                        .containsPattern(", seen [0-9]+ s ago\\)").endsWith(": stop every instance first (one that died is forgotten 20 s after it was last seen)");
            }
            assertThat(api.anonymous().get("/ready").status()).as("a refused import leaves it serving").isEqualTo(200);
        }

        console.reset();
        assertThat(legacy("import", shop, "--no-progress", "--no-catch-up")).as("stopped cleanly, it is forgotten at once").isZero();
        List<String> again = console.out().strip().lines().toList();
        assertThat(again.get(again.size() - 1)).as("the cut-over is not still to do")
                .startsWith("import: nothing copied, an earlier run cut over; every legacy row is migrated or quarantined");
    }

    /** Serves until interrupted, unless refused. */
    private static int serve(TestDatabase database) {
        return TestApplication.command(Stream.concat(Stream.of("serve", "--port", "0",
                "--jwt-secret", TestApplication.JWT_SECRET, "--webhook-secret", TestApplication.WEBHOOK_SECRET),
                TestApplication.commandLineOptions(database).stream()).toArray(String[]::new));
    }

    private int maintain(TestDatabase database, String... options) {
        return TestApplication.command(Stream.of(Stream.of("maintain"), TestApplication.commandLineOptions(database).stream(),
                Stream.of(options)).flatMap(s -> s).toArray(String[]::new));
    }

    @Test
    void rollback_and_verify_say_what_they_found_in_a_database_without_an_import() {
        TestDatabase empty = TestPostgres.emptyDatabase();

        assertThat(legacy("rollback", empty)).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("ticketing: nothing to roll back: this database has no legacy tables and no import "
                + "(is --db-url the legacy database?)");
        console.reset();
        assertThat(legacy("verify", empty)).isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: nothing to verify: this database has no legacy tables and no import");

        TestDatabase legacyOnly = TestPostgres.emptyDatabase();
        assertThat(legacy("generate", legacyOnly, "--seats", "3000")).isZero();
        console.reset();
        assertThat(legacy("rollback", legacyOnly)).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("ticketing: nothing to roll back: this database holds no import "
                + "(none ran, or it was already rolled back)");
        console.reset();
        assertThat(legacy("generate", legacyOnly)).as("generate wants an empty database").isEqualTo(1);
        assertThat(oneErrorLine()).startsWith("ticketing: generate needs an EMPTY database");
    }

    @Test
    void a_copy_only_import_finalized_with_nothing_pending_may_be_served() {
        TestDatabase shop = TestPostgres.emptyDatabase();
        assertThat(legacy("generate", shop, "--seats", "3000")).isZero();
        assertThat(legacy("import", shop, "--no-progress", "--no-catch-up")).isZero();
        console.reset();
        assertThat(legacy("finalize", shop, "--yes")).as(console.err()).isZero();

        console.reset();
        maintain(shop);
        assertThat(console.out()).contains("legacy import\n  ok       state: the legacy import was finalized");

        try (TestApplication api = TestApplication.startOn(shop)) {
            console.reset();
            assertThat(legacy("rollback", shop)).isEqualTo(1);
            assertThat(oneErrorLine()).as("what stops it for good comes first").isEqualTo("ticketing: the legacy tables were dropped by "
                    + "`legacy finalize`: rollback is no longer possible without a backup");
        }
    }

    @Test
    void finalize_drops_nothing_until_confirmed_then_rollback_and_verify_say_finalize_ran() throws Exception {
        TestDatabase shop = TestPostgres.emptyDatabase();
        assertThat(legacy("generate", shop, "--seats", "3000")).isZero();
        assertThat(legacy("import", shop, "--no-progress")).isZero();

        for (String answer : new String[]{"no\n", "YES\n", "", " yes \n", "yes \n", "\tyes\n"}) {
            console.reset();
            console.input(answer);

            int exit = legacy("finalize", shop);

            assertThat(exit).as("answer '%s'", answer.strip()).isEqualTo(1);
            assertThat(oneErrorLine()).isEqualTo("ticketing: finalize: not confirmed, nothing dropped; type yes at the prompt, or pass --yes");
            assertThat(legacyTables(shop)).isEqualTo(7);
        }

        console.reset();
        console.input("yes\n");
        assertThat(legacy("finalize", shop)).isZero();
        assertThat(console.err()).isEmpty();
        assertThat(console.out()).contains("finalize: legacy tables dropped");
        assertThat(legacyTables(shop)).isZero();

        assertThat(legacy("rollback", shop)).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("ticketing: the legacy tables were dropped by `legacy finalize`: rollback is no longer "
                + "possible without a backup");
        console.reset();
        assertThat(legacy("verify", shop)).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("ticketing: the legacy tables were dropped by `legacy finalize`: nothing to verify");
    }

    @Test
    void stacktrace_adds_the_details_to_a_legacy_command_error() throws Exception {
        int port = closedPort();

        int exit = Main.run("legacy", "verify", "--stacktrace", "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/shop");

        assertThat(exit).isEqualTo(1);
        assertThat(console.err()).startsWith("ticketing: cannot reach the database at")
                .contains("java.net.ConnectException");
    }

    private int legacy(String command, TestDatabase database, String... options) {
        return Main.run(Stream.of(Stream.of("legacy", command), TestApplication.commandLineOptions(database).stream(), Stream.of(options))
                .flatMap(s -> s).toArray(String[]::new));
    }

    /** Answers every connection to {@code socket} with {@code reply}, before or after reading what the client sends first. */
    private static void answer(ServerSocket socket, boolean greetsFirst, String reply) {
        Thread server = new Thread(() -> {
            try {
                while (true) {
                    try (Socket client = socket.accept()) {
                        if (!greetsFirst) {
                            client.getInputStream().read(new byte[8]);
                        }
                        client.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                        client.getInputStream().read(new byte[64]);
                    }
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        server.setDaemon(true);
        server.start();
    }

    private String oneErrorLine() {
        List<String> lines = console.err().strip().lines().toList();
        assertThat(lines).as("stderr").hasSize(1);
        return lines.get(0);
    }

    private static long legacyTables(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static int closedPort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
