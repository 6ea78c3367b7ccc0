package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.openSession;
import static io.ticketing.migration.schema.MigratedDatabase.pendingBooking;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.seat;
import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seat and claim rules that V9 makes the database keep at commit, whoever writes: here plain SQL, as
 * the seed guide's Prisma code or an embedder's adapter would send it. A refused transaction leaves nothing.
 */
class SeatClaimGuardsTest {

    static TestDatabase database;
    static Connection connection;

    UUID event;
    UUID customer;
    UUID seat;

    @BeforeAll
    static void connect() throws Exception {
        database = MigratedDatabase.fresh();
        connection = MigratedDatabase.connect(database);
        connection.setAutoCommit(false);
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    @BeforeEach
    void givenAnEventWithASeat() throws Exception {
        connection.rollback();
        event = publishedEvent(connection);
        customer = customer(connection);
        seat = seat(connection, event, "1", 1, "50.00");
        connection.commit();
    }

    @Test
    void the_seed_guides_add_seats_to_session_claims_an_available_seat_and_is_refused() throws Exception {
        UUID session = openSession(connection, event, customer, "50.00");
        connection.commit();
        // `addSeatsToSession` of the guide's "After" code: the join row only, the seat left AVAILABLE.
        update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)",
                event, session, seat);

        assertRefusedAtCommit("seat_status_agrees_with_claims", "is AVAILABLE, which disagrees with its active claims");
        assertThat(single(connection, "SELECT count(*) FROM payment_session_seat WHERE payment_session_id = ?", session))
                .isEqualTo(0L);
        assertThat(single(connection, "SELECT status::text FROM seat WHERE id = ?", seat)).isEqualTo("AVAILABLE");
    }

    @Test
    void a_claim_and_its_seat_status_written_in_one_transaction_are_accepted() throws Exception {
        UUID session = holdSeat();

        assertThatCode(connection::commit).doesNotThrowAnyException();
        assertThat(single(connection, "SELECT count(*) FROM payment_session_seat WHERE payment_session_id = ? AND released_at IS NULL",
                session)).isEqualTo(1L);
    }

    @Test
    void a_seat_released_while_a_checkout_still_holds_it_is_refused() throws Exception {
        holdSeat();
        connection.commit();

        update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE id = ?", seat);

        assertRefusedAtCommit("seat_status_agrees_with_claims", "is AVAILABLE");
    }

    @Test
    void a_checkout_that_expires_without_releasing_its_claims_is_refused() throws Exception {
        UUID session = holdSeat();
        connection.commit();

        update(connection, "UPDATE payment_session SET status = 'EXPIRED' WHERE id = ?", session);
        update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE id = ?", seat);

        assertRefusedAtCommit("checkout_claims_follow_checkout", "is EXPIRED, but its claim on seat " + seat + " is still active");
    }

    @Test
    void a_checkout_that_expires_and_releases_its_seats_is_accepted() throws Exception {
        UUID session = holdSeat();
        connection.commit();

        update(connection, "UPDATE payment_session SET status = 'EXPIRED' WHERE id = ?", session);
        update(connection, "UPDATE payment_session_seat SET released_at = now() WHERE payment_session_id = ?", session);
        update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE id = ?", seat);

        assertThatCode(connection::commit).doesNotThrowAnyException();
    }

    @Test
    void a_booking_confirmed_without_tickets_is_refused_and_with_them_accepted() throws Exception {
        UUID booking = pendingBooking(connection, event, customer, null, "50.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, seat);
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        connection.commit();

        update(connection, "UPDATE booking SET status = 'CONFIRMED', confirmed_at = now() WHERE id = ?", booking);
        update(connection, "UPDATE seat SET status = 'BOOKED' WHERE id = ?", seat);
        assertRefusedAtCommit("confirmed_booking_is_ticketed", "has no live ticket");

        update(connection, "UPDATE booking SET status = 'CONFIRMED', confirmed_at = now() WHERE id = ?", booking);
        update(connection, "UPDATE seat SET status = 'BOOKED' WHERE id = ?", seat);
        update(connection, """
                INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code) VALUES (?, ?, ?, ?, 'code-0001')""",
                event, booking, seat, customer);
        assertThatCode(connection::commit).doesNotThrowAnyException();

        // A ticket of a confirmed booking ends only together with the booking.
        update(connection, "UPDATE ticket SET status = 'REFUNDED' WHERE booking_id = ?", booking);
        assertRefusedAtCommit("confirmed_booking_is_ticketed", "has no live ticket");

        // A USED ticket is history: it stays when its booking is cancelled afterwards (the seat released).
        update(connection, "UPDATE ticket SET status = 'USED', checked_in_at = now() WHERE booking_id = ?", booking);
        connection.commit();
        update(connection, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking);
        update(connection, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", booking);
        update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE id = ?", seat);
        assertThatCode(connection::commit).doesNotThrowAnyException();
    }

    @Test
    void a_checked_in_ticket_of_a_booking_never_paid_is_refused() throws Exception {
        UUID booking = pendingBooking(connection, event, customer, null, "50.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, seat);
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        connection.commit();

        update(connection, """
                INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code, status, checked_in_at)
                VALUES (?, ?, ?, ?, 'code-0003', 'USED', now())""", event, booking, seat, customer);

        assertRefusedAtCommit("valid_ticket_is_sold", "is USED, but seat");
    }

    @Test
    void a_checked_in_ticket_of_a_cancelled_booking_set_back_to_valid_is_refused() throws Exception {
        UUID booking = cancelledBookingWithACheckedInTicket();

        // The door would admit the ticket again, on a seat the booking no longer holds.
        update(connection, "UPDATE ticket SET status = 'VALID', checked_in_at = NULL WHERE booking_id = ? AND status = 'USED'", booking);

        assertRefusedAtCommit("valid_ticket_is_sold", "is VALID, but seat " + seat + " is not sold to its booking");
        assertThat(single(connection, "SELECT status::text FROM ticket WHERE booking_id = ?", booking)).isEqualTo("USED");
    }

    @Test
    void a_cancelled_booking_whose_payment_is_erased_under_its_checked_in_ticket_is_refused() throws Exception {
        UUID booking = cancelledBookingWithACheckedInTicket();

        // Its USED ticket would then be of a booking never paid (V19's rule).
        update(connection, "UPDATE booking SET confirmed_at = NULL WHERE id = ?", booking);

        assertRefusedAtCommit("valid_ticket_is_sold", "is USED, but seat " + seat + " is not sold to its booking");
        assertThat(single(connection, "SELECT confirmed_at IS NOT NULL FROM booking WHERE id = ?", booking)).isEqualTo(true);
    }

    @Test
    void a_check_in_commits_and_queues_no_check() throws Exception {
        UUID booking = confirmBooking(connection, seat);
        connection.commit();

        update(connection, "UPDATE ticket SET status = 'USED', checked_in_at = now() WHERE booking_id = ?", booking);
        assertThat(keysQueued()).as("keys recorded as queued by a check-in").isZero();

        assertThatCode(connection::commit).doesNotThrowAnyException();
        assertThat(single(connection, "SELECT status::text FROM ticket WHERE booking_id = ?", booking)).isEqualTo("USED");
    }

    @Test
    void a_ticket_for_a_booking_that_is_not_confirmed_is_refused() throws Exception {
        UUID booking = pendingBooking(connection, event, customer, null, "50.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, seat);
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        connection.commit();

        update(connection, """
                INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code) VALUES (?, ?, ?, ?, 'code-0002')""",
                event, booking, seat, customer);

        assertRefusedAtCommit("valid_ticket_is_sold", "is not sold to its booking");
    }

    @Test
    void a_seat_marked_booked_without_a_confirmed_booking_is_refused() throws Exception {
        update(connection, "UPDATE seat SET status = 'BOOKED' WHERE id = ?", seat);

        assertRefusedAtCommit("seat_status_agrees_with_claims", "is BOOKED");
    }

    @Test
    void a_truncate_which_no_row_trigger_sees_is_refused_unless_the_guards_are_off() throws Exception {
        // A claim's table alone would leave its seats RESERVED or BOOKED with nothing holding them (CASCADE: the tables
        // whose keys point at it go too, each refused the same way).
        for (String table : List.of("payment_session_seat", "booked_seat", "ticket", "booking", "payment_session", "seat")) {
            assertThatThrownBy(() -> update(connection, "TRUNCATE " + table + " CASCADE")).as(table)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2F003"))
                    .hasMessageMatching("(?s).*TRUNCATE of ticketing\\.\\w+ refused: it would pass the seat and claim rules.*");
            connection.rollback();
        }
        assertThat(single(connection, "SELECT count(*) FROM seat WHERE event_id = ?", event)).isEqualTo(1L);

        // An operator who means it turns the guards off for the session (then `maintain` finds what is left).
        update(connection, "SET LOCAL ticketing.check_invariants = off");
        assertThatCode(() -> update(connection, "TRUNCATE ticket CASCADE")).doesNotThrowAnyException();
        connection.rollback();
    }

    @Test
    void the_import_turns_the_guards_off_for_its_own_transactions_only() throws Exception {
        update(connection, "SET LOCAL ticketing.check_invariants = off");
        update(connection, "UPDATE seat SET status = 'BOOKED' WHERE id = ?", seat);
        assertThatCode(connection::commit).doesNotThrowAnyException();

        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        assertRefusedAtCommit("seat_status_agrees_with_claims", "is RESERVED");

        // Whether a row is checked is decided when it is written: turning the guards off afterwards skips nothing.
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        update(connection, "SET LOCAL ticketing.check_invariants = off");
        assertRefusedAtCommit("seat_status_agrees_with_claims", "is RESERVED");
    }

    @Test
    void a_write_that_queues_no_check_does_not_mark_its_seat_as_checked() throws Exception {
        // Written with the guards off, then wrongly with them on, in one transaction: the first write must not
        // have recorded the seat as queued (the trigger's WHEN asks guard_once last), or the second would pass.
        update(connection, "SET LOCAL ticketing.check_invariants = off");
        update(connection, "UPDATE seat SET status = 'BOOKED' WHERE id = ?", seat);
        update(connection, "SET LOCAL ticketing.check_invariants = on");
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        assertRefusedAtCommit("seat_status_agrees_with_claims", "is RESERVED");

        // The same with a write that cannot break a rule: a new seat AVAILABLE, then RESERVED without a claim.
        UUID other = UUID.randomUUID();
        update(connection, "INSERT INTO seat (event_id, id, section, \"row\", number, price) VALUES (?, ?, 'Z', '1', 1, 10.00)", event, other);
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", other);
        assertRefusedAtCommit("seat_status_agrees_with_claims", "is RESERVED");
    }

    @Test
    void two_transactions_each_releasing_one_of_a_seats_two_claims_are_checked_one_after_the_other() throws Exception {
        SeatClaimedTwice claimed = seatClaimedTwice();
        UUID session = claimed.checkout();
        UUID booking = claimed.booking();

        // Each alone leaves one claim, which a RESERVED seat may have; together they leave none. Neither
        // writes the seat row, so each check locks the seat before it reads.
        update(connection, "UPDATE payment_session SET status = 'EXPIRED' WHERE id = ?", session);
        update(connection, "UPDATE payment_session_seat SET released_at = now() WHERE payment_session_id = ?", session);
        single(connection, "SELECT 1 FROM seat WHERE id = ? FOR NO KEY UPDATE", seat); // as its check will, held until commit
        try (Connection other = MigratedDatabase.connect(database)) {
            other.setAutoCommit(false);
            update(other, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking);
            update(other, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", booking);
            CompletableFuture<Void> otherCommit = CompletableFuture.runAsync(() -> {
                try {
                    other.commit();
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            awaitWaitingOnALock();

            assertThatCode(connection::commit).as("the first to commit still sees the booking's claim").doesNotThrowAnyException();
            assertThatThrownBy(otherCommit::join).hasRootCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("is RESERVED, which disagrees with its active claims");
            other.rollback();
        }
        assertThat(single(connection, "SELECT status::text FROM booking WHERE id = ?", booking)).isEqualTo("PENDING");
        connection.commit();
    }

    @Test
    void two_repeatable_read_transactions_each_releasing_one_of_a_seats_two_claims_cannot_both_commit() throws Exception {
        SeatClaimedTwice claimed = seatClaimedTwice();
        UUID session = claimed.checkout();
        UUID booking = claimed.booking();

        try (Connection other = MigratedDatabase.connect(database)) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            other.setAutoCommit(false);
            other.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            // Both snapshots are taken before either commits: neither sees the other's release.
            update(connection, "UPDATE payment_session SET status = 'EXPIRED' WHERE id = ?", session);
            update(connection, "UPDATE payment_session_seat SET released_at = now() WHERE payment_session_id = ?", session);
            update(other, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking);
            update(other, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", booking);

            assertThatCode(connection::commit).as("the first sees the booking's claim").doesNotThrowAnyException();
            // Its check wrote the seat after the second's snapshot: the second's check cannot write it in turn.
            assertThatThrownBy(other::commit).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            other.rollback();
        } finally {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        assertThat(single(connection, "SELECT status::text FROM booking WHERE id = ?", booking)).isEqualTo("PENDING");
        assertThat(single(connection, "SELECT status::text FROM seat WHERE id = ?", seat)).isEqualTo("RESERVED");
        connection.commit();
    }

    @Test
    void a_seat_held_by_a_checkout_and_claimed_by_a_pending_booking_of_another_purchase_is_refused() throws Exception {
        UUID session = holdSeat();
        connection.commit();
        // Another customer's pending booking, not the checkout's, claims the held seat.
        UUID stranger = pendingBooking(connection, event, customer(connection), null, "50.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, stranger, seat);

        assertRefusedAtCommit("seat_claimed_by_one_purchase", "is held by checkout " + session + " and claimed by pending booking " + stranger);

        // A migrated checkout names its booking (payment_session.booking_id): the two claims are one purchase.
        UUID migrated = pendingBooking(connection, event, customer, null, "50.00");
        update(connection, "UPDATE payment_session SET booking_id = ? WHERE id = ?", migrated, session);
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, migrated, seat);
        assertThatCode(connection::commit).doesNotThrowAnyException();
    }

    @Test
    void a_repeatable_read_expiry_cannot_commit_past_a_claim_another_transaction_gave_its_checkout_meanwhile() throws Exception {
        UUID session = holdSeat();
        UUID second = seat(connection, event, "2", 1, "50.00");
        connection.commit();

        try (Connection other = MigratedDatabase.connect(database)) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            single(connection, "SELECT 1"); // the expiry's snapshot, before the second claim
            other.setAutoCommit(false);
            update(other, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)", event, session, second);
            update(other, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", second);
            other.commit();

            // The claim's check wrote the checkout after the expiry's snapshot: the expiry, which would release the one claim
            // it sees and leave the second seat held by an EXPIRED checkout, cannot write the checkout in turn.
            assertThatThrownBy(() -> update(connection, "UPDATE payment_session SET status = 'EXPIRED' WHERE id = ?", session))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            connection.rollback();
        } finally {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        assertThat(single(connection, "SELECT status::text FROM payment_session WHERE id = ?", session)).isEqualTo("OPEN");
        assertThat(single(connection, "SELECT count(*) FROM payment_session_seat WHERE payment_session_id = ? AND released_at IS NULL", session))
                .isEqualTo(2L);
        connection.commit();
    }

    @Test
    void a_repeatable_read_cancellation_cannot_commit_past_a_claim_another_transaction_gave_its_booking_meanwhile() throws Exception {
        UUID booking = pendingBooking(connection, event, customer, null, "50.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, seat);
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        UUID second = seat(connection, event, "2", 1, "50.00");
        connection.commit();

        try (Connection other = MigratedDatabase.connect(database)) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            single(connection, "SELECT 1"); // the cancellation's snapshot, before the second claim
            other.setAutoCommit(false);
            update(other, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, second);
            update(other, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", second);
            other.commit();

            assertThatThrownBy(() -> update(connection, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            connection.rollback();
        } finally {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        assertThat(single(connection, "SELECT status::text FROM booking WHERE id = ?", booking)).isEqualTo("PENDING");
        assertThat(single(connection, "SELECT count(*) FROM booked_seat WHERE booking_id = ? AND released_at IS NULL", booking)).isEqualTo(2L);
        connection.commit();
    }

    @Test
    void a_claim_or_ticket_moved_to_another_event_is_refused() throws Exception {
        UUID booking = confirmBooking(connection, seat);
        connection.commit();
        // The same seat and booking ids in a second event, so that the foreign keys alone would let the move through.
        UUID elsewhere = publishedEvent(connection);
        update(connection, "INSERT INTO seat (event_id, id, section, \"row\", number, price) VALUES (?, ?, 'A', '1', 1, 50.00)", elsewhere, seat);
        update(connection, "INSERT INTO booking (event_id, id, customer_id, total_amount) VALUES (?, ?, ?, 50.00)", elsewhere, booking, customer);
        connection.commit();

        for (String table : List.of("booked_seat", "ticket")) {
            assertThatThrownBy(() -> update(connection, "UPDATE " + table + " SET event_id = ? WHERE booking_id = ?", elsewhere, booking))
                    .isInstanceOfSatisfying(org.postgresql.util.PSQLException.class, e -> {
                        assertThat(e.getServerErrorMessage().getConstraint()).isEqualTo("claim_stays_in_its_event");
                        assertThat(e.getMessage()).contains(table + " of event " + event + " cannot move to event " + elsewhere);
                    });
            connection.rollback();
        }
    }

    @Test
    void a_transaction_writing_thousands_of_rows_queues_each_key_once_and_still_checks_every_seat() throws Exception {
        update(connection, """
                INSERT INTO seat (event_id, section, "row", number, price)
                SELECT ?, 'B', 'R' || (g / 100), g % 100 + 1, 10.00 FROM generate_series(0, 2999) g""", event);
        connection.commit();

        // 3,000 seats RESERVED and back, then one left RESERVED without a claim: each seat is written twice
        // or more, queued once, and the one wrong seat is found among them.
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE event_id = ? AND section = 'B'", event);
        update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE event_id = ? AND section = 'B'", event);
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE event_id = ? AND section = 'B' AND \"row\" = 'R7' AND number = 42", event);
        assertThat(keysQueued()).as("keys recorded as queued").isEqualTo(3000);

        assertRefusedAtCommit("seat_status_agrees_with_claims", "is RESERVED, which disagrees with its active claims");
    }

    @Test
    void confirming_a_booking_reads_its_own_claims_and_tickets_with_a_plan_made_while_its_event_was_empty() throws Exception {
        // The plans stay as they were made: no autovacuum ANALYZE may replace them during the test.
        for (String table : GUARDED_TABLES) {
            update(connection, "ALTER TABLE " + table + " SET (autovacuum_enabled = off)");
            update(connection, "ANALYZE " + table);
        }
        connection.commit();
        try (Connection server = MigratedDatabase.connect(database)) {
            server.setAutoCommit(false);
            // A long-lived pooled connection whose guards keep generic plans, made while the event had sold nothing.
            update(server, "SET LOCAL plan_cache_mode = force_generic_plan");
            confirmBooking(server, seat);
            server.commit();

            // Then the event sells 2,000 seats (written set-based, the guards off, as an import would).
            update(connection, "SET LOCAL ticketing.check_invariants = off");
            update(connection, """
                    INSERT INTO seat (event_id, id, section, "row", number, price, status)
                    SELECT ?, gen_random_uuid(), 'C', 'R' || (g / 100), g % 100 + 1, 10.00, 'BOOKED' FROM generate_series(0, 1999) g""", event);
            update(connection, """
                    INSERT INTO booking (event_id, id, customer_id, total_amount, status, confirmed_at)
                    SELECT event_id, id, ?, 10.00, 'CONFIRMED', now() FROM seat WHERE event_id = ? AND section = 'C'""", customer, event);
            update(connection, """
                    INSERT INTO booked_seat (event_id, booking_id, seat_id, price)
                    SELECT event_id, id, id, 10.00 FROM seat WHERE event_id = ? AND section = 'C'""", event);
            update(connection, """
                    INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code)
                    SELECT event_id, id, id, ?, 'sold-' || id FROM seat WHERE event_id = ? AND section = 'C'""", customer, event);
            connection.commit();

            // The next booking's checks, run now instead of at commit, read its own rows only.
            update(server, "SET LOCAL plan_cache_mode = force_generic_plan");
            UUID next = seat(server, event, "2", 1, "50.00");
            confirmBooking(server, next);
            long before = rowsReadFromGuardedTables(server);
            update(server, "SET CONSTRAINTS ALL IMMEDIATE");
            long read = rowsReadFromGuardedTables(server) - before;
            server.commit();

            assertThat(read).as("booking, claim and ticket rows the booking's checks read, with 2,001 of each in its event").isLessThan(50);
        } finally {
            for (String table : GUARDED_TABLES) {
                update(connection, "ALTER TABLE " + table + " RESET (autovacuum_enabled)");
            }
            connection.commit();
        }
    }

    /** A booking of one seat confirmed with its ticket in the connection's open transaction, as the application writes it. */
    private UUID confirmBooking(Connection on, UUID seatId) throws SQLException {
        UUID booking = UUID.randomUUID();
        update(on, """
                INSERT INTO booking (event_id, id, customer_id, total_amount, status, confirmed_at)
                VALUES (?, ?, ?, 50.00, 'CONFIRMED', now())""", event, booking, customer);
        update(on, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, seatId);
        update(on, "INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code) VALUES (?, ?, ?, ?, ?)",
                event, booking, seatId, customer, "code-" + booking);
        update(on, "UPDATE seat SET status = 'BOOKED' WHERE id = ?", seatId);
        return booking;
    }

    /** The tables a booking's and a seat's checks read besides the seat: bookings, claims, tickets. */
    private static final List<String> GUARDED_TABLES = List.of("booking", "booked_seat", "payment_session_seat", "ticket");

    /** The rows of {@link #GUARDED_TABLES}, and entries of their indexes, this transaction has read so far, by any scan. */
    private static long rowsReadFromGuardedTables(Connection on) throws SQLException {
        String tables = GUARDED_TABLES.stream().map(t -> "'ticketing." + t + "'::regclass").collect(Collectors.joining(", "));
        return ((Number) single(on, """
                SELECT sum(pg_stat_get_xact_tuples_returned(c.oid) + pg_stat_get_xact_tuples_fetched(c.oid))
                  FROM pg_class c
                 WHERE c.oid IN (%1$s) OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (%1$s))""".formatted(tables))).longValue();
    }

    /** Waits until another session of this database waits for a lock. */
    private static void awaitWaitingOnALock() throws Exception {
        for (int i = 0; i < 500; i++) {
            if ((long) single(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND wait_event_type = 'Lock'") > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no session waited for a lock");
    }

    /** A paid booking of the seat, its ticket checked in, then cancelled and the seat released: all committed. */
    private UUID cancelledBookingWithACheckedInTicket() throws SQLException {
        UUID booking = confirmBooking(connection, seat);
        connection.commit();
        update(connection, "UPDATE ticket SET status = 'USED', checked_in_at = now() WHERE booking_id = ?", booking);
        connection.commit();
        update(connection, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking);
        update(connection, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", booking);
        update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE id = ?", seat);
        connection.commit();
        return booking;
    }

    /** The checks this transaction has queued so far: the keys guard_once recorded, in its 256 lists. */
    private static long keysQueued() throws SQLException {
        return (long) single(connection, """
                SELECT coalesce(sum(array_length(string_to_array(btrim(current_setting('ticketing.guard_checked_' || lpad(to_hex(n), 2, '0'), true)), ' '), 1)), 0)
                  FROM generate_series(0, 255) n""");
    }

    /** An open checkout holding the seat, as the application writes it: the claim and RESERVED together. */
    /** The seat's two active claims: an open checkout's and a pending booking's. */
    private record SeatClaimedTwice(UUID checkout, UUID booking) {
    }

    /** The seat RESERVED twice over, committed: held by an open checkout and claimed by its pending booking. */
    private SeatClaimedTwice seatClaimedTwice() throws SQLException {
        UUID session = holdSeat();
        UUID booking = pendingBooking(connection, event, customer, session, "50.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 50.00)", event, booking, seat);
        connection.commit();
        return new SeatClaimedTwice(session, booking);
    }

    private UUID holdSeat() throws SQLException {
        UUID session = openSession(connection, event, customer, "50.00");
        update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)",
                event, session, seat);
        update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
        return session;
    }

    private static void assertRefusedAtCommit(String constraint, String message) throws SQLException {
        assertThatThrownBy(connection::commit)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23514"))
                .satisfies(e -> assertThat(((org.postgresql.util.PSQLException) e).getServerErrorMessage().getConstraint())
                        .isEqualTo(constraint));
        connection.rollback();
    }
}
