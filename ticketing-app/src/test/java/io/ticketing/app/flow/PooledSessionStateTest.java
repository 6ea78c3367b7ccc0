package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.testsupport.PgBouncer;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment behind a transaction-pooling PgBouncer leaves nothing of a session on the server: the API, its
 * background workers and the commands, given {@code --db-pooled}, share one server connection with any other
 * client, and what the next client finds there is a clean connection. A PgBouncer of its own, with a pool of ONE
 * server connection, makes that certain: every transaction of every client runs on that connection, so whatever
 * one left behind (a {@code SET}, a session advisory lock, a prepared statement, a temporary table, the audit
 * actor) the next one sees. Runs where the build runs through a pooler ({@code TICKETING_TEST_DB_POOLER}, which
 * CI sets, and which says a {@code pgbouncer} is installed).
 */
@EnabledIfEnvironmentVariable(named = "TICKETING_TEST_DB_POOLER", matches = ".+")
class PooledSessionStateTest {

    /** The parameters PgBouncer itself sets on a server connection for each client (its tracked parameters). */
    private static final String POOLER_TRACKED = "'application_name', 'client_encoding', 'DateStyle', 'TimeZone', "
            + "'standard_conforming_strings'";

    private static PgBouncer pooler;

    @BeforeAll
    static void startPooler() {
        TestDatabase database = TestApplication.migratedDatabase();
        pooler = PgBouncer.start(TestPostgres.direct(database), 1);
    }

    @AfterAll
    static void stopPooler() {
        pooler.close();
    }

    @Test
    void the_api_its_workers_and_the_commands_leave_no_session_state_on_the_server_connection_they_share() throws Exception {
        String eventId;
        try (TestApplication api = TestApplication.startOn(pooler.database())) {
            eventId = publishedEventWithSeats(api, 1, 4);
            List<String> seats = availableSeatIds(api, eventId);
            var alice = api.customer("alice.pooled@example.com");
            // A request that holds its idempotency key (an advisory lock) and sets the audit actor.
            Response opened = alice.with("Idempotency-Key", "pooled-1").post("/payment-sessions",
                    "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\",\"" + seats.get(1) + "\"]}");
            assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
            String session = opened.json().get("id").asText();
            assertThat(api.webhook(paymentEvent("evt-pooled-" + session, "succeeded", session, "100.00")).status()).isEqualTo(200);
            assertThat(api.admin().get("/analytics/sales?refresh=true").status()).isEqualTo(200);
            assertThat(api.admin().get("/events/" + eventId + "/stats").json().get("ticketsSold").asLong()).isEqualTo(2);
            assertThat(sessionState()).as("after the booking, its payment and the analytics refresh").isEmpty();

            String other = publishedEventWithSeats(api, 1, 2);
            assertThat(api.admin().with("Idempotency-Key", "pooled-cancel").post("/events/" + other + "/cancel",
                    "{\"reason\":\"Pooled\"}").status()).isEqualTo(202);
            awaitCancelled(api, other);
            assertThat(sessionState()).as("after the server's workers cancelled an event").isEmpty();
        }

        for (List<String> command : List.of(
                List.of("migrate"),
                List.of("info"),
                List.of("refresh-analytics"),
                List.of("maintain", "--repair", "--analyze", "--refresh", "--reindex"),
                List.of("cancel-event", eventId, "--reason", "Pooled too"),
                List.of("admin", "create-key", "--role", "STAFF"))) {
            int exit = TestApplication.command(Stream.concat(command.stream(),
                    TestApplication.commandLineOptions(pooler.database()).stream()).toArray(String[]::new));

            assertThat(exit).as(String.join(" ", command)).isIn(0, 1); // maintain: 1 when it finds advice-worthy problems
            assertThat(sessionState()).as("after `%s`", String.join(" ", command)).isEmpty();
        }
    }

    /**
     * The legacy commands that work through the pooler (import, verify, rollback, finalize), given its address alone,
     * on a pooler of their own with the fewest server connections an import of two workers needs: its lock's
     * transaction, its session and the second worker. None is left with anything of theirs, the import lock
     * included. The schema's migrations and the generator run on the server itself.
     */
    @Test
    void the_legacy_import_verify_rollback_and_finalize_leave_no_session_state_on_the_server_connections() throws Exception {
        int serverConnections = 3;
        TestDatabase shop = TestPostgres.direct(TestPostgres.emptyDatabase());
        try (PgBouncer legacyPooler = PgBouncer.start(shop, serverConnections)) {
            assertThat(onTheServer(shop, "legacy", "generate", "--seats", "3000")).isZero();
            assertThat(onTheServer(shop, "migrate")).isZero();
            // Through the pooler, the import lock still keeps a second command out: a slow copy, and a verify meanwhile.
            CompletableFuture<Integer> copying = CompletableFuture.supplyAsync(() -> throughOnly(legacyPooler, "legacy", "import",
                    "--no-progress", "--no-catch-up", "--workers", "1", "--batch-size", "100", "--throttle-ms", "300"));
            awaitCopying(shop);
            assertThat(copying).as("the copy still runs").isNotDone();
            Refusal verified = throughOnlyWithErrors(legacyPooler, "legacy", "verify");
            assertThat(verified.exit()).isEqualTo(1);
            assertThat(verified.errors()).contains("another legacy import, verify, rollback or finalize is running")
                    .contains("verify refused: wait for it to finish");
            assertThat(copying.get(120, TimeUnit.SECONDS)).as("the copy").isZero();
            for (List<String> command : List.of(
                    List.of("legacy", "import", "--no-progress", "--workers", "2"),
                    List.of("legacy", "verify"),
                    List.of("legacy", "rollback"),
                    List.of("migrate"),
                    List.of("legacy", "import", "--no-progress", "--workers", "2"),
                    List.of("legacy", "import", "--no-progress"),
                    List.of("legacy", "finalize", "--yes"))) {
                boolean direct = command.get(0).equals("migrate");
                int exit = direct ? onTheServer(shop, command.toArray(String[]::new))
                        : throughOnly(legacyPooler, command.toArray(String[]::new));

                assertThat(exit).as(String.join(" ", command)).isZero();
                assertThat(sessionState(legacyPooler, serverConnections)).as("after `%s`", String.join(" ", command)).isEmpty();
            }
        }
        try (Connection connection = shop.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM ticketing.seat WHERE legacy_id IS NOT NULL")) {
            rows.next();
            assertThat(rows.getLong(1)).as("seats migrated").isGreaterThan(2900);
        }
    }

    /**
     * An import whose workers need more server connections at once than the pooler has waits for itself until the
     * pooler's query_wait_timeout (two minutes by default); it says so within seconds instead, before it changes
     * anything, and goes on with as many workers as the pool allows.
     */
    @Test
    void an_import_with_more_workers_than_the_pool_serves_says_so_at_once_and_changes_nothing() throws Exception {
        TestDatabase shop = TestPostgres.direct(TestPostgres.emptyDatabase());
        try (PgBouncer legacyPooler = PgBouncer.start(shop, 2)) {
            assertThat(onTheServer(shop, "legacy", "generate", "--seats", "3000")).isZero();
            assertThat(onTheServer(shop, "migrate")).isZero();
            long started = System.nanoTime();
            Refusal refused = throughOnlyWithErrors(legacyPooler, "legacy", "import", "--no-progress", "--workers", "2");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("well before PgBouncer's query_wait_timeout")
                    .isLessThan(Duration.ofSeconds(60));
            assertThat(refused.errors().strip().lines()).singleElement().asString()
                    .contains("the import needs 3 server connections at once").contains("got 2 within 10 s")
                    .contains("or import with --workers 1");
            try (Connection connection = shop.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT to_regclass('ticketing_import.run') IS NULL")) {
                rows.next();
                assertThat(rows.getBoolean(1)).as("no import state created").isTrue();
            }

            // A copy that resumes keeps the workers it started with, whatever --workers says now: the state a run of
            // two workers leaves when it is killed during its copy.
            assertThat(onTheServer(shop, "legacy", "import", "--no-progress", "--no-catch-up", "--workers", "2")).isZero();
            try (Connection connection = shop.connect(); Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE ticketing_import.run SET copied_at = NULL");
            }
            Refusal resumed = throughOnlyWithErrors(legacyPooler, "legacy", "import", "--no-progress", "--workers", "1");
            assertThat(resumed.exit()).isEqualTo(1);
            assertThat(resumed.errors().strip().lines()).singleElement().asString()
                    .contains("the import needs 3 server connections at once").contains("the count this import started with")
                    .contains("or run `legacy rollback` and import again with --workers 1");
            assertThat(onTheServer(shop, "legacy", "rollback")).isZero();
            assertThat(onTheServer(shop, "migrate")).isZero(); // the rollback dropped the new schema

            assertThat(throughOnly(legacyPooler, "legacy", "import", "--no-progress", "--workers", "1")).isZero();
        }
    }

    private static void awaitCopying(TestDatabase direct) throws Exception {
        try (Connection connection = direct.connect(); Statement statement = connection.createStatement()) {
            for (int i = 0; i < 300; i++) {
                try (ResultSet rows = statement.executeQuery("SELECT to_regclass('ticketing_import.progress') IS NOT NULL "
                        + "AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction')")) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the import did not start copying within 30 s");
    }

    private static int onTheServer(TestDatabase direct, String... command) {
        return TestApplication.command(Stream.concat(Stream.of(command), Stream.of("--db-url", direct.jdbcUrl(), "--db-user",
                direct.user(), "--db-password", direct.password())).toArray(String[]::new));
    }

    private record Refusal(int exit, String errors) {
    }

    /** {@link #throughOnly}, with what the command printed on standard error. */
    private static Refusal throughOnlyWithErrors(PgBouncer pooler, String... command) {
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            return new Refusal(throughOnly(pooler, command), printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    /** {@code command} given the pooler's address and {@code --db-pooled}, and no way around the pooler. */
    private static int throughOnly(PgBouncer pooler, String... command) {
        TestDatabase pooled = pooler.database();
        return TestApplication.command(Stream.concat(Stream.of(command), Stream.of("--db-url", pooled.jdbcUrl(), "--db-user",
                pooled.user(), "--db-password", pooled.password(), "--db-pooled")).toArray(String[]::new));
    }

    @Test
    void the_check_finds_what_a_client_without_the_pooled_settings_leaves_behind() throws Exception {
        try (Connection careless = DriverManager.getConnection(pooler.database().jdbcUrl(), pooler.database().user(),
                pooler.database().password()); Statement statement = careless.createStatement()) {
            statement.execute("SET lock_timeout = '1s'");
            statement.execute("SELECT pg_advisory_lock(42)");
            statement.execute("CREATE TEMP TABLE leftover (id int)");
            try (PreparedStatement prepared = careless.prepareStatement("SELECT 1")) {
                for (int i = 0; i < 6; i++) { // the driver prepares it on the server from the 5th execution on
                    prepared.executeQuery().close();
                }
            }
            assertThat(sessionState()).anyMatch(found -> found.startsWith("setting lock_timeout"))
                    .contains("advisory lock 42", "temporary table leftover")
                    .anyMatch(found -> found.startsWith("prepared statement "));

            statement.execute("DISCARD ALL");
            statement.execute("SELECT pg_advisory_unlock_all()");
        }
        assertThat(sessionState()).isEmpty();
    }

    /** What the one server connection keeps of earlier sessions, seen by a client with the pooled settings. */
    private static List<String> sessionState() throws SQLException {
        return sessionState(pooler, 1);
    }

    /**
     * What the {@code serverConnections} server connections of {@code through} keep of earlier sessions: as many
     * clients, each in a transaction of its own at once, so that each holds another of them.
     */
    private static List<String> sessionState(PgBouncer through, int serverConnections) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", through.database().user());
        properties.setProperty("password", through.database().password());
        properties.putAll(ConnectionPool.TRANSACTION_POOLER_SETTINGS);
        List<Connection> clients = new ArrayList<>();
        try {
            List<String> found = new ArrayList<>();
            Set<Integer> servers = new HashSet<>();
            for (int i = 0; i < serverConnections; i++) {
                Connection client = DriverManager.getConnection(through.database().jdbcUrl(), properties);
                clients.add(client);
                found.addAll(sessionState(client));
                try (Statement statement = client.createStatement(); ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                    pid.next();
                    servers.add(pid.getInt(1));
                }
            }
            assertThat(servers).as("server connections seen").hasSize(serverConnections);
            return found;
        } finally {
            for (Connection client : clients) {
                client.commit();
                client.close();
            }
        }
    }

    /** What the server connection {@code connection} runs on keeps of earlier sessions; leaves its transaction open. */
    private static List<String> sessionState(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        List<String> found = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT 'setting ' || name || ' = ' || setting FROM pg_settings
                 WHERE source = 'session' AND name NOT IN (%s)
                UNION ALL SELECT 'prepared statement ' || name FROM pg_prepared_statements
                UNION ALL SELECT 'advisory lock ' || objid FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                UNION ALL SELECT 'temporary table ' || relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind IN ('r', 'p')
                UNION ALL SELECT 'audit actor ' || current_setting('ticketing.actor', true)
                 WHERE coalesce(current_setting('ticketing.actor', true), '') <> ''
                UNION ALL SELECT 'role ' || current_user WHERE current_user <> session_user""".formatted(POOLER_TRACKED))) {
            while (rows.next()) {
                found.add(rows.getString(1));
            }
        }
        return found;
    }

    private static void awaitCancelled(TestApplication api, String eventId) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode cancellation = api.admin().get("/events/" + eventId + "/cancellation").json();
            if ("DONE".equals(cancellation.path("state").asText())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the cancellation of event " + eventId + " was not done within 10 s");
    }
}
