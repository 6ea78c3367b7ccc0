package io.ticketing.migration.schema;

import io.ticketing.domain.model.VisibleText;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.openSession;
import static io.ticketing.migration.schema.MigratedDatabase.pendingBooking;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.seat;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the database refuses by itself, statement by statement, even when the application is wrong. The
 * commit-time guards of the seat and claim rules are off here (each statement stands alone); SeatClaimGuardsTest
 * shows them.
 */
class DatabaseRefusalsTest {

    static final String UNIQUE_VIOLATION = "23505";
    static final String FOREIGN_KEY_VIOLATION = "23503";
    static final String CHECK_VIOLATION = "23514";
    static final String INVALID_TEXT_REPRESENTATION = "22P02";

    static Connection connection;

    UUID event;
    UUID otherEvent;
    UUID customer;
    UUID seat;

    @BeforeAll
    static void connect() throws Exception {
        connection = MigratedDatabase.connectWithoutGuards(MigratedDatabase.fresh());
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    @BeforeEach
    void givenAnEventWithASeat() throws Exception {
        event = publishedEvent(connection);
        otherEvent = publishedEvent(connection);
        customer = customer(connection);
        seat = seat(connection, event, "1", 1, "50.00");
    }

    @Test
    void a_second_active_claim_on_a_seat_in_checkouts() throws Exception {
        UUID first = openSession(connection, event, customer, "50.00");
        UUID second = openSession(connection, event, customer, "50.00");
        claimInSession(first, seat);

        assertRefused(() -> claimInSession(second, seat), UNIQUE_VIOLATION);

        update(connection, "UPDATE payment_session_seat SET released_at = now() WHERE payment_session_id = ?", first);
        assertThatCode(() -> claimInSession(second, seat)).as("a released claim no longer counts").doesNotThrowAnyException();
    }

    @Test
    void a_second_active_claim_on_a_seat_in_bookings() throws Exception {
        UUID first = pendingBooking(connection, event, customer, null, "50.00");
        UUID second = pendingBooking(connection, event, customer, null, "50.00");
        book(event, first, seat);

        assertRefused(() -> book(event, second, seat), UNIQUE_VIOLATION);

        update(connection, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", first);
        assertThatCode(() -> book(event, second, seat)).as("a released claim no longer counts").doesNotThrowAnyException();
    }

    @Test
    void a_second_live_ticket_for_a_seat() throws Exception {
        UUID first = pendingBooking(connection, event, customer, null, "50.00");
        UUID second = pendingBooking(connection, event, customer, null, "50.00");
        book(event, first, seat);
        ticket(first, seat, "VALID");
        update(connection, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", first);
        book(event, second, seat);

        assertRefused(() -> ticket(second, seat, "VALID"), UNIQUE_VIOLATION);

        update(connection, "UPDATE ticket SET status = 'REFUNDED' WHERE booking_id = ?", first);
        assertThatCode(() -> ticket(second, seat, "VALID")).doesNotThrowAnyException();
    }

    @Test
    void a_status_outside_its_enum() {
        assertRefused(() -> update(connection, "UPDATE seat SET status = 'SOLD' WHERE id = ?", seat), INVALID_TEXT_REPRESENTATION);
        assertRefused(() -> update(connection, "UPDATE seat SET status = 'available' WHERE id = ?", seat), INVALID_TEXT_REPRESENTATION);
        assertRefused(() -> update(connection, "UPDATE event SET status = 'ARCHIVED' WHERE id = ?", event), INVALID_TEXT_REPRESENTATION);
        assertRefused(() -> pendingBookingWithStatus("PAID"), INVALID_TEXT_REPRESENTATION);
    }

    @Test
    void an_orphan_join_row() {
        assertRefused(() -> book(event, UUID.randomUUID(), seat), FOREIGN_KEY_VIOLATION);
        assertRefused(() -> claimInSession(UUID.randomUUID(), seat), FOREIGN_KEY_VIOLATION);
        assertRefused(() -> update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)",
                event, openSession(connection, event, customer, "1.00"), UUID.randomUUID()), FOREIGN_KEY_VIOLATION);
    }

    @Test
    void a_join_row_whose_event_is_not_its_seats_event() throws Exception {
        UUID booking = pendingBooking(connection, event, customer, null, "50.00");
        UUID seatOfAnotherEvent = seat(connection, otherEvent, "1", 1, "50.00");
        UUID session = openSession(connection, event, customer, "50.00");

        assertRefused(() -> book(event, booking, seatOfAnotherEvent), FOREIGN_KEY_VIOLATION);
        assertRefused(() -> book(otherEvent, booking, seatOfAnotherEvent), FOREIGN_KEY_VIOLATION);
        assertRefused(() -> claimInSession(session, seatOfAnotherEvent), FOREIGN_KEY_VIOLATION);
    }

    @Test
    void a_ticket_for_a_seat_its_booking_does_not_hold() throws Exception {
        UUID booking = pendingBooking(connection, event, customer, null, "50.00");
        UUID otherSeat = seat(connection, event, "1", 2, "50.00");
        book(event, booking, seat);

        assertRefused(() -> ticket(booking, otherSeat, "VALID"), FOREIGN_KEY_VIOLATION);
    }

    @Test
    void inconsistent_states() {
        assertRefused(() -> update(connection, "UPDATE event SET is_deleted = true WHERE id = ?", event), CHECK_VIOLATION);
        assertRefused(() -> update(connection, "UPDATE event SET currency = 'euro' WHERE id = ?", event), CHECK_VIOLATION);
        assertRefused(() -> update(connection, "UPDATE seat SET price = -1 WHERE id = ?", seat), CHECK_VIOLATION);
        assertRefused(() -> pendingBookingWithStatus("CONFIRMED"), CHECK_VIOLATION);
        assertRefused(() -> update(connection, "INSERT INTO seat (event_id, section, \"row\", number, price) VALUES (?, 'A', '1', 1, 10)", event),
                UNIQUE_VIOLATION);
    }

    @Test
    void a_title_or_a_reason_that_shows_nothing_whoever_writes_it() throws Exception {
        for (String blank : List.of("", " \t\n", "\u0001", "\u001b", "\u200b", "\ufeff", "\u2060", "\u00a0", "\u3000", "\u00a0\u200b\u3000\u001b")) {
            assertRefusedBy(() -> update(connection, "INSERT INTO event (title, starts_at, currency) VALUES (?, now(), 'EUR')", blank),
                    "event_title_check");
            assertRefusedBy(() -> update(connection, "UPDATE event SET title = ? WHERE id = ?", blank, event), "event_title_check");
            assertRefusedBy(() -> update(connection, "INSERT INTO event_cancellation (event_id, reason, requested_by, requested_at) "
                    + "VALUES (?, ?, 'admin:test', now())", otherEvent, blank), "event_cancellation_reason_check");
        }
        // What shows something is kept as written, a line break of a legacy title included.
        for (String title : List.of("\u200bGala", "A\u00a0B", "Gala\nNight", "\ud83c\udfab")) {
            assertThatCode(() -> update(connection, "UPDATE event SET title = ? WHERE id = ?", title, event)).doesNotThrowAnyException();
        }
    }

    @Test
    void the_database_and_the_application_agree_on_every_code_point_that_shows_nothing() throws Exception {
        List<Integer> java = IntStream.rangeClosed(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .filter(cp -> VisibleText.isBlank(Character.toString(cp))).boxed().toList();
        List<Integer> database = MigratedDatabase.query(connection, """
                SELECT cp FROM generate_series(1, 1114111) cp
                 WHERE cp NOT BETWEEN 55296 AND 57343 AND NOT ticketing.has_visible_text(chr(cp)) ORDER BY cp""")
                .stream().map(row -> (Integer) row.get("cp")).toList();
        assertThat(database).isEqualTo(java);
    }

    private static void assertRefusedBy(ThrowingCallable change, String constraint) {
        assertThatThrownBy(change).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(CHECK_VIOLATION);
            assertThat(e.getMessage()).contains(constraint);
        });
    }

    private void claimInSession(UUID session, UUID seat) throws SQLException {
        update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)", event, session, seat);
    }

    private void book(UUID event, UUID booking, UUID seat) throws SQLException {
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, seat);
    }

    private void ticket(UUID booking, UUID seat, String status) throws SQLException {
        update(connection, """
                INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code, status)
                VALUES (?, ?, ?, ?, ?, ?::ticket_status)""", event, booking, seat, customer, UUID.randomUUID().toString(), status);
    }

    private void pendingBookingWithStatus(String status) throws SQLException {
        update(connection, "INSERT INTO booking (event_id, customer_id, total_amount, status) VALUES (?, ?, ?, ?::booking_status)",
                event, customer, new BigDecimal("1.00"), status);
    }

    private static void assertRefused(ThrowingCallable change, String sqlState) {
        assertThatThrownBy(change).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState));
    }
}
