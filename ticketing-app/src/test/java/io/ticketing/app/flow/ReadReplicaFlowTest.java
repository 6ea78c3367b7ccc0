package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.testsupport.StreamingReplica;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API with a real streaming replica: anonymous browsing reads the replica, and falls back to the primary
 * while the replica is behind or stopped, and back to the replica once it has caught up or started again.
 */
class ReadReplicaFlowTest {

    private static final Pattern READS = Pattern.compile("ticketing_replica_reads_total\\{served_by=\"(replica|primary|none)\",?} ([0-9.E]+)");

    private static StreamingReplica servers;
    private static TestDatabase database;

    @BeforeAll
    static void startServers() {
        servers = StreamingReplica.start();
        database = TestApplication.migratedDatabaseOn(servers, "ticketing_replica_flow");
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void anonymous_browsing_reads_the_replica_while_the_admin_and_the_checkout_see_the_primary() {
        // A bound no pause of this test reaches: the replica stays in use while its replay is paused.
        try (TestApplication api = TestApplication.startWithReadReplica(database, servers, Duration.ofMinutes(10))) {
            String eventId = publishedEventWithSeats(api, 1, 4);
            servers.awaitReplayed();
            assertThat(availableSeatIds(api, eventId)).hasSize(4);
            assertThat(replicaState(api)).isEqualTo("in-use");

            servers.pauseReplay();
            try {
                addSeats(api, eventId, "B");
                assertThat(availableSeatIds(api, eventId)).as("the replica has not replayed the new seats").hasSize(4);
                assertThat(api.admin().get("/events/" + eventId + "/seats").json().findValuesAsText("id"))
                        .as("an operator reads the primary").hasSize(8);
                String newSeat = api.admin().get("/events/" + eventId + "/seats").json().findValuesAsText("id").stream()
                        .filter(id -> !availableSeatIds(api, eventId).contains(id)).findFirst().orElseThrow();
                Response checkout = api.customer("early@example.com").post("/payment-sessions",
                        "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + newSeat + "\"]}");
                assertThat(checkout.status()).as("the checkout decides on the primary: " + checkout).isEqualTo(201);
            } finally {
                servers.resumeReplay();
            }
            servers.awaitReplayed();
            assertThat(availableSeatIds(api, eventId)).as("the replica caught up: 8 seats, one held").hasSize(7);
            assertThat(reads(api, "replica")).isGreaterThanOrEqualTo(4);
            assertThat(reads(api, "primary")).isZero();
        }
    }

    @Test
    void a_seat_map_page_after_a_seat_the_replica_has_not_replayed_yet_is_answered_by_the_primary() {
        try (TestApplication api = TestApplication.startWithReadReplica(database, servers, Duration.ofMinutes(10))) {
            String eventId = eventOfFourSeatsOnTheReplica(api);

            servers.pauseReplay();
            try {
                addSeats(api, eventId, "B");
                // A page the primary answered (an operator's, or anyone's while the replica was behind) ends on a new seat.
                Response fromThePrimary = api.admin().get("/events/" + eventId + "/seats?limit=5");
                String newSeat = fromThePrimary.json().get("items").get(4).get("id").asText();
                assertThat(fromThePrimary.json().get("nextAfter").asText()).isEqualTo(newSeat);
                double byPrimary = reads(api, "primary");

                Response next = api.anonymous().get("/events/" + eventId + "/seats?after=" + newSeat);
                assertThat(next.status()).as("not refused as an unknown cursor: " + next).isEqualTo(200);
                assertThat(next.json().get("items").findValuesAsText("section")).as("the rest of section B").containsExactly("B", "B", "B");
                assertThat(reads(api, "primary")).isEqualTo(byPrimary + 1);
                Response unknown = api.anonymous().get("/events/" + eventId + "/seats?after=" + java.util.UUID.randomUUID());
                assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
                assertThat(unknown.json().get("code").asText()).isEqualTo("invalid-cursor");
            } finally {
                servers.resumeReplay();
            }
        }
    }

    @Test
    void a_replica_further_behind_than_the_bound_hands_browsing_to_the_primary_until_it_catches_up() {
        try (TestApplication api = TestApplication.startWithReadReplica(database, servers, Duration.ofSeconds(1))) {
            String eventId = eventOfFourSeatsOnTheReplica(api);

            servers.pauseReplay();
            try {
                addSeats(api, eventId, "B");
                JsonNode replica = awaitReplicaState(api, "lagging");
                assertThat(replica.get("lagSeconds").asDouble()).isGreaterThan(1.0);
                assertThat(replica.get("maxLagSeconds").asDouble()).isEqualTo(1.0);

                double byPrimary = reads(api, "primary");
                assertThat(availableSeatIds(api, eventId)).as("the primary answers, with the new seats").hasSize(8);
                assertThat(reads(api, "primary")).isEqualTo(byPrimary + 1);
                assertThat(api.anonymous().get("/metrics").body()).contains("ticketing_replica_in_use 0.0");
            } finally {
                servers.resumeReplay();
            }
            assertBrowsingIsBackOnTheReplica(api, eventId, 8);
        }
    }

    @Test
    void a_stopped_replica_hands_browsing_to_the_primary_without_an_error_and_gets_it_back_once_started() {
        try (TestApplication api = TestApplication.startWithReadReplica(database, servers, Duration.ofSeconds(5))) {
            String eventId = eventOfFourSeatsOnTheReplica(api);

            servers.stopReplica();
            try {
                // Right away, before the next check: the read fails on the replica and the primary answers it.
                assertThat(availableSeatIds(api, eventId)).hasSize(4);
                assertThat(api.anonymous().get("/events/" + eventId).status()).isEqualTo(200);
                assertThat(api.anonymous().get("/events").status()).isEqualTo(200);
                JsonNode down = awaitReplicaState(api, "down");
                assertThat(down.get("lagSeconds").isNull()).isTrue();
                assertThat(api.anonymous().get("/ready").status()).as("the primary still serves").isEqualTo(200);
                double byPrimary = reads(api, "primary");
                assertThat(availableSeatIds(api, eventId)).hasSize(4);
                assertThat(reads(api, "primary")).isEqualTo(byPrimary + 1);
            } finally {
                servers.startReplica();
            }
            assertBrowsingIsBackOnTheReplica(api, eventId, 4);
        }
    }

    @Test
    void a_replica_whose_connections_are_all_busy_refuses_the_surplus_with_a_503_instead_of_loading_the_primary() throws Exception {
        try (TestApplication api = TestApplication.startWithReadReplica(database, servers, Duration.ofMinutes(10))) {
            String eventId = eventOfFourSeatsOnTheReplica(api);
            int requests = ConnectionPool.DEFAULT_SIZE + 3;
            ExecutorService browsers = Executors.newFixedThreadPool(requests);
            List<Future<Response>> maps = new ArrayList<>();
            try {
                // An exclusive lock on the primary's seats, replayed on the replica: seat maps read there wait for it, each
                // holding one of the replica pool's connections, as under a storm of slow reads.
                try (Connection primary = DriverManager.getConnection(servers.primaryUrl(database.name()), servers.user(), servers.password())) {
                    primary.setAutoCommit(false);
                    try (Statement statement = primary.createStatement()) {
                        statement.execute("LOCK TABLE ticketing.seat IN ACCESS EXCLUSIVE MODE");
                    }
                    awaitSeatLockOnTheReplica();
                    for (int k = 0; k < requests; k++) {
                        maps.add(browsers.submit(() -> api.anonymous().get("/events/" + eventId + "/seats")));
                    }
                    // The surplus waits for a replica connection as long as the pool's connection timeout, then is refused.
                    Response refused = firstAnswer(maps, ConnectionPool.DEFAULT_CONNECTION_TIMEOUT.multipliedBy(3));
                    assertThat(refused).as("a seat map answered while the replica's connections were all busy").isNotNull();
                    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                    assertThat(refused.contentType()).startsWith("application/problem+json");
                    assertThat(refused.json().get("code").asText()).isEqualTo("database-unavailable");
                    assertThat(refused.header("Retry-After")).isNotNull();
                    primary.commit();
                }
                for (Future<Response> map : maps) {
                    Response answer = map.get(30, TimeUnit.SECONDS);
                    assertThat(answer.status()).as("a seat map is answered or refused, never failed: " + answer).isIn(200, 503);
                }
            } finally {
                browsers.shutdownNow();
            }
            assertThat(reads(api, "none")).as("the refused reads, counted").isGreaterThanOrEqualTo(1);
            assertThat(reads(api, "primary")).as("no read spilled onto the primary").isZero();
            assertBrowsingIsBackOnTheReplica(api, eventId, 4);
        }
    }

    /** The first of {@code answers} to arrive within {@code wait}, or null. */
    private static Response firstAnswer(List<Future<Response>> answers, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (Future<Response> answer : answers) {
                if (answer.isDone()) {
                    return answer.get();
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return null;
    }

    /** Waits (at most 30 s) until the replica's replay holds the primary's exclusive lock on the seats. */
    private static void awaitSeatLockOnTheReplica() throws Exception {
        try (Connection replica = DriverManager.getConnection(servers.replicaUrl(database.name()), servers.user(), servers.password());
             Statement statement = replica.createStatement()) {
            for (int attempt = 0; attempt < 300; attempt++) {
                try (ResultSet locks = statement.executeQuery("""
                        SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                         WHERE c.relname = 'seat' AND l.mode = 'AccessExclusiveLock' AND l.granted""")) {
                    locks.next();
                    if (locks.getLong(1) > 0) {
                        return;
                    }
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
        throw new AssertionError("the replica did not replay the lock on the seats within 30 s");
    }

    /** A published event of 4 seats, once the replica has it and the instance uses the replica. */
    private static String eventOfFourSeatsOnTheReplica(TestApplication api) {
        String eventId = publishedEventWithSeats(api, 1, 4);
        servers.awaitReplayed();
        awaitReplicaState(api, "in-use");
        return eventId;
    }

    private static void assertBrowsingIsBackOnTheReplica(TestApplication api, String eventId, int seats) {
        awaitReplicaState(api, "in-use");
        double byReplica = reads(api, "replica");
        assertThat(availableSeatIds(api, eventId)).hasSize(seats);
        assertThat(reads(api, "replica")).as("back on the replica").isEqualTo(byReplica + 1);
    }

    private static void addSeats(TestApplication api, String eventId, String section) {
        Response added = api.admin().post("/events/" + eventId + "/seats", """
                {"blocks":[{"section":"%s","rows":["1"],"firstNumber":1,"lastNumber":4,"price":50.00}]}
                """.formatted(section));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
    }

    private static String replicaState(TestApplication api) {
        Response ready = api.anonymous().get("/ready");
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        return ready.json().get("replica").get("state").asText();
    }

    /** Asks /ready until the replica is in {@code state} (the application checks it every second), at most 30 s. */
    private static JsonNode awaitReplicaState(TestApplication api, String state) {
        JsonNode replica = null;
        for (int attempt = 0; attempt < 300; attempt++) {
            Response ready = api.anonymous().get("/ready");
            assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
            replica = ready.json().get("replica");
            if (state.equals(replica.get("state").asText())) {
                return replica;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new AssertionError("the replica did not become " + state + " within 30 s; last: " + replica);
    }

    /** Browse reads the server answered, from /metrics. */
    private static double reads(TestApplication api, String server) {
        Matcher matcher = READS.matcher(api.anonymous().get("/metrics").body());
        while (matcher.find()) {
            if (matcher.group(1).equals(server)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no ticketing_replica_reads_total for " + server + " in /metrics");
    }
}
