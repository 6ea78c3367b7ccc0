package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection of an idempotent checkout lost during its COMMIT: the client's retry with the same key
 * replays what committed, or, if nothing did, runs afresh; either way one checkout holds the seats, and
 * no answer contradicts what the database holds.
 */
class LostCommitTest {

    @Test
    void the_commit_succeeded_but_its_answer_was_lost_so_the_retry_replays_it() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        try (CommitCuttingProxy proxy = new CommitCuttingProxy(server.getHost(), server.getPort());
             TestApplication api = TestApplication.startOn(throughProxy(database, server, proxy))) {
            String eventId = publishedEventWithSeats(api, 1, 2);
            String seat = availableSeatIds(api, eventId).get(0);
            var buyer = api.customer("cut@example.com").with("Idempotency-Key", "cut-1");
            String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seat + "\"]}";

            proxy.armForNextCommit();
            Response lost = buyer.post("/payment-sessions", body);
            Response retry = buyer.post("/payment-sessions", body);

            assertThat(proxy.cuts()).as("a commit was cut").isEqualTo(1);
            assertThat(lost.status()).as(lost.toString()).isEqualTo(503);
            assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(checkoutsOf(database, "cut@example.com")).containsExactly(retry.json().get("id").asText());
            assertThat(retry.json().get("seatIds").get(0).asText()).isEqualTo(seat);
        }
    }

    @Test
    void the_connection_died_during_commit_so_nothing_committed_and_the_retry_runs_afresh() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            String eventId = publishedEventWithSeats(api, 1, 2);
            List<String> seats = availableSeatIds(api, eventId);
            try (Connection connection = api.database().connect(); Statement statement = connection.createStatement()) {
                // At COMMIT (a deferred trigger) of the first transaction that keeps key "die-1", its backend ends itself.
                statement.execute("""
                        CREATE SEQUENCE public.die_at_commit_count;
                        CREATE FUNCTION public.die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.key = 'die-1' AND nextval('public.die_at_commit_count') = 1 THEN
                                PERFORM pg_terminate_backend(pg_backend_pid());
                                PERFORM pg_sleep(5);
                            END IF;
                            RETURN NULL;
                        END $$;
                        CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON ticketing.idempotency_key
                            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.die_at_commit();
                        """);
            }
            var buyer = api.customer("died@example.com").with("Idempotency-Key", "die-1");
            String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\",\"" + seats.get(1) + "\"]}";

            Response died = buyer.post("/payment-sessions", body);
            Response retry = buyer.post("/payment-sessions", body);

            assertThat(died.status()).as(died.toString()).isEqualTo(503);
            assertThat(retry.status()).as("the seats were not taken by the lost attempt: " + retry).isEqualTo(201);
            assertThat(retry.header("Idempotent-Replayed")).isNull();
            assertThat(checkoutsOf(api.database(), "died@example.com")).containsExactly(retry.json().get("id").asText());
            assertThat(buyer.post("/payment-sessions", body).body()).as("a further retry replays").isEqualTo(retry.body());
        }
    }

    private static TestDatabase throughProxy(TestDatabase database, URI server, CommitCuttingProxy proxy) {
        String url = database.jdbcUrl().replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port());
        // The proxy reads the server's messages: no TLS, no GSS encryption.
        url += (url.contains("?") ? "&" : "?") + "sslmode=disable&gssEncMode=disable";
        return new TestDatabase(database.name(), url, database.user(), database.password());
    }

    private static List<String> checkoutsOf(TestDatabase database, String email) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT ps.id FROM ticketing.payment_session ps
                       JOIN ticketing.customer c ON c.id = ps.customer_id
                      WHERE c.email = '%s'""".formatted(email))) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }
}
