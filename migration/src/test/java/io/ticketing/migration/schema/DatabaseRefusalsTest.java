package io.ticketing.migration.schema;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

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
