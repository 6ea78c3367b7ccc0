package io.ticketing.migration.schema;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.openSession;
import static io.ticketing.migration.schema.MigratedDatabase.pendingBooking;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.query;
import static io.ticketing.migration.schema.MigratedDatabase.seat;
import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditTrailTest {

    static Connection connection;

    @BeforeAll
    static void connect() throws Exception {
        connection = MigratedDatabase.connectWithoutGuards(MigratedDatabase.fresh());
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    @Test
    void records_the_actor_and_the_changed_columns_before_and_after() throws Exception {
        UUID event = publishedEvent(connection);

        asActor("admin:alice", () -> update(connection, "UPDATE event SET title = 'Opera', version = version + 1 WHERE id = ?", event));

        List<Map<String, Object>> trail = trailOf(event);
        assertThat(trail).hasSize(2);
        assertThat(trail.get(0)).containsEntry("action", "INSERT").containsEntry("entity_type", "event");
        assertThat(trail.get(1))
                .containsEntry("actor", "admin:alice")
                .containsEntry("action", "UPDATE")
                .containsEntry("entity_type", "event")
                .containsEntry("event_id", event)
                .containsEntry("old_values", "{\"title\": \"Concert\"}")
                .containsEntry("new_values", "{\"title\": \"Opera\"}");
    }

    @Test
    void without_an_actor_records_the_database_role_and_the_actor_lasts_one_transaction() throws Exception {
        UUID event = publishedEvent(connection);
        asActor("admin:bob", () -> update(connection, "UPDATE event SET venue = 'Arena' WHERE id = ?", event));

        update(connection, "UPDATE event SET venue = 'Stadium' WHERE id = ?", event);

        Object role = single(connection, "SELECT session_user::text");
        assertThat(trailOf(event)).extracting(row -> row.get("actor")).containsExactly(role, "admin:bob", role);
    }

    @Test
    void records_whole_rows_on_insert_and_delete_of_bookings_sessions_and_tickets() throws Exception {
        UUID event = publishedEvent(connection);
        UUID customer = customer(connection);
        UUID session = openSession(connection, event, customer, "80.00");
        UUID booking = pendingBooking(connection, event, customer, session, "80.00");
        UUID seat = seat(connection, event, "2", 7, "80.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 80.00)", event, booking, seat);
        UUID ticket = UUID.randomUUID();
        asActor("system:webhook", () -> {
            update(connection, "UPDATE booking SET status = 'CONFIRMED', confirmed_at = now() WHERE id = ?", booking);
            update(connection, "UPDATE payment_session SET status = 'SUCCEEDED', booking_id = ? WHERE id = ?", booking, session);
            update(connection, "INSERT INTO ticket (event_id, id, booking_id, seat_id, customer_id, code) VALUES (?, ?, ?, ?, ?, 'code-0001')",
                    event, ticket, booking, seat, customer);
        });
        asActor("staff:carol", () -> update(connection, "DELETE FROM ticket WHERE id = ?", ticket));

        assertThat(trailOf(session)).extracting(row -> row.get("action")).containsExactly("INSERT", "UPDATE");
        assertThat((String) trailOf(session).get(1).get("new_values"))
                .contains("\"status\": \"SUCCEEDED\"", "\"booking_id\": \"" + booking + "\"");
        assertThat(trailOf(booking).get(0)).containsEntry("entity_type", "booking");
        assertThat((String) trailOf(booking).get(0).get("new_values")).contains("\"status\": \"PENDING\"", "\"total_amount\": 80.00");
        assertThat((String) trailOf(booking).get(1).get("old_values")).isEqualTo("{\"status\": \"PENDING\", \"confirmed_at\": null}");
        List<Map<String, Object>> ticketTrail = trailOf(ticket);
        assertThat(ticketTrail).extracting(row -> row.get("action") + " by " + row.get("actor"))
                .containsExactly("INSERT by system:webhook", "DELETE by staff:carol");
        assertThat(ticketTrail.get(1).get("new_values")).isNull();
        assertThat((String) ticketTrail.get(1).get("old_values")).contains("\"code\": \"code-0001\"", "\"status\": \"VALID\"");
    }

    @Test
    void audits_admin_changes_to_seats_but_not_the_reservation_churn() throws Exception {
        UUID event = publishedEvent(connection);
        UUID seat = seat(connection, event, "3", 1, "30.00");

        for (String status : List.of("RESERVED", "AVAILABLE", "RESERVED", "BOOKED", "AVAILABLE")) {
            update(connection, "UPDATE seat SET status = ?::seat_status WHERE id = ?", status, seat);
        }
        assertThat(trailOf(seat)).as("reserve/book/release is not audited, nor is the seat's creation").isEmpty();

        asActor("admin:alice", () -> update(connection, "UPDATE seat SET status = 'BLOCKED' WHERE id = ?", seat));
        asActor("admin:alice", () -> update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE id = ?", seat));
        asActor("admin:dave", () -> update(connection, "UPDATE seat SET price = 35.00, \"row\" = '4' WHERE id = ?", seat));
        asActor("admin:dave", () -> update(connection, "DELETE FROM seat WHERE id = ?", seat));

        assertThat(trailOf(seat)).extracting(row -> row.get("actor") + " " + row.get("action") + " " + row.get("old_values") + " -> " + row.get("new_values"))
                .containsExactly(
                        "admin:alice UPDATE {\"status\": \"AVAILABLE\"} -> {\"status\": \"BLOCKED\"}",
                        "admin:alice UPDATE {\"status\": \"BLOCKED\"} -> {\"status\": \"AVAILABLE\"}",
                        "admin:dave UPDATE {\"row\": \"3\", \"price\": 30.00} -> {\"row\": \"4\", \"price\": 35.00}",
                        "admin:dave DELETE " + trailOf(seat).get(3).get("old_values") + " -> null");
        assertThat(trailOf(seat).get(3)).containsEntry("event_id", event);
    }

    @Test
    void an_update_that_changes_nothing_is_not_audited_and_the_trail_cannot_be_rewritten() throws Exception {
        UUID event = publishedEvent(connection);
        update(connection, "UPDATE event SET title = title WHERE id = ?", event);
        assertThat(trailOf(event)).hasSize(1);

        assertThatThrownBy(() -> update(connection, "UPDATE audit_log SET actor = 'nobody' WHERE entity_id = ?", event))
                .hasMessageContaining("append-only");
    }

    @Test
    void is_written_in_the_changing_transaction_so_a_rollback_leaves_no_trail() throws Exception {
        UUID event = publishedEvent(connection);
        connection.setAutoCommit(false);
        try {
            single(connection, "SELECT set_config('ticketing.actor', 'admin:eve', true)");
            update(connection, "UPDATE event SET title = 'Never' WHERE id = ?", event);
            assertThat(trailOf(event)).hasSize(2);
            connection.rollback();
        } finally {
            connection.setAutoCommit(true);
        }
        assertThat(trailOf(event)).extracting(row -> row.get("action")).containsExactly("INSERT");
    }

    private static List<Map<String, Object>> trailOf(UUID entity) throws Exception {
        return query(connection, """
                SELECT actor, action, entity_type, event_id, old_values::text AS old_values, new_values::text AS new_values
                  FROM audit_log WHERE entity_id = ? ORDER BY id""", entity);
    }

    interface Change {
        void run() throws Exception;
    }

    /** One transaction, with the actor set the way the application sets it. */
    private static void asActor(String actor, Change change) throws Exception {
        connection.setAutoCommit(false);
        try {
            single(connection, "SELECT set_config('ticketing.actor', ?, true)", actor);
            change.run();
            connection.commit();
        } catch (Exception e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
