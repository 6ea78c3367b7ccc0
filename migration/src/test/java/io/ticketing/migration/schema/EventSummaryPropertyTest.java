package io.ticketing.migration.schema;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.query;
import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.strings;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of seat, checkout, booking and ticket changes, written in plain SQL the way
 * any client could, keep event_summary equal to its recount after every commit. Steps that the
 * schema refuses (a seat claimed twice, a seat still referenced) roll back; they must leave the
 * summary right too.
 */
class EventSummaryPropertyTest {

    enum Kind {
        ADD_SEATS, SET_SEAT_STATUS, EDIT_SEAT_PRICE, DELETE_SEAT, OPEN_CHECKOUT, EXPIRE_CHECKOUTS, BOOK_CHECKOUT,
        CONFIRM_BOOKING, CANCEL_BOOKING, CHECK_IN, CHANGE_TOTAL, DELETE_BOOKING, RELEASE_ALL_RESERVED
    }

    record Step(Kind kind, int a, int b) {
    }

    static Connection connection;

    @BeforeContainer
    static void connect() throws Exception {
        connection = MigratedDatabase.connect(MigratedDatabase.fresh());
    }

    @AfterContainer
    static void close() throws Exception {
        connection.close();
    }

    @Property(tries = 30)
    void summary_equals_recount_after_every_commit(@ForAll("steps") List<Step> steps) throws Exception {
        UUID customer = customer(connection);
        List<UUID> events = List.of(publishedEvent(connection), publishedEvent(connection));
        for (UUID event : events) {
            update(connection, "INSERT INTO seat (event_id, section, \"row\", number, price) SELECT ?, 'A', '1', n, 20 + n FROM generate_series(1, 12) n", event);
        }
        for (Step step : steps) {
            // Mostly the first event, so that checkouts get as far as tickets; sometimes the other one.
            UUID event = events.get(step.a() % 5 == 0 ? 1 : 0);
            connection.setAutoCommit(false);
            try {
                apply(step, event, customer);
                connection.commit();
            } catch (SQLException refused) {
                connection.rollback();
            } finally {
                connection.setAutoCommit(true);
            }
            assertThat(strings(connection, "SELECT event_id || ': ' || stored::text || ' <> ' || recounted::text FROM event_summary_drift"))
                    .as("after %s", step).isEmpty();
        }
        assertThat(single(connection, "SELECT count(*) FROM event_summary WHERE event_id = ANY (?)",
                connection.createArrayOf("uuid", events.toArray()))).isEqualTo(2L);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // Weighted so that checkouts usually get as far as bookings, tickets and cancellations.
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(2, Kind.ADD_SEATS), Tuple.of(3, Kind.SET_SEAT_STATUS),
                Tuple.of(1, Kind.EDIT_SEAT_PRICE), Tuple.of(1, Kind.DELETE_SEAT),
                Tuple.of(6, Kind.OPEN_CHECKOUT), Tuple.of(1, Kind.EXPIRE_CHECKOUTS),
                Tuple.of(5, Kind.BOOK_CHECKOUT), Tuple.of(4, Kind.CONFIRM_BOOKING),
                Tuple.of(3, Kind.CANCEL_BOOKING), Tuple.of(3, Kind.CHECK_IN),
                Tuple.of(2, Kind.CHANGE_TOTAL), Tuple.of(1, Kind.DELETE_BOOKING),
                Tuple.of(1, Kind.RELEASE_ALL_RESERVED));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000))
                .as(Step::new).list().ofMinSize(10).ofMaxSize(60);
    }

    private static final List<String> SEAT_STATUSES = List.of("AVAILABLE", "RESERVED", "BOOKED", "BLOCKED");

    private static void apply(Step step, UUID event, UUID customer) throws SQLException {
        int a = step.a();
        int b = step.b();
        switch (step.kind()) {
            case ADD_SEATS -> update(connection, """
                    INSERT INTO seat (event_id, section, "row", number, price, status)
                    SELECT ?, 'S', ?::text, n, 10 + n, (ARRAY['AVAILABLE','AVAILABLE','BLOCKED','RESERVED']::seat_status[])[1 + (n + ?) % 4]
                      FROM generate_series(1, 1 + ? % 6) AS n""", event, UUID.randomUUID().toString(), b, b);
            case SET_SEAT_STATUS -> update(connection, "UPDATE seat SET status = ?::seat_status WHERE (event_id, id) = (SELECT event_id, id FROM seat WHERE event_id = ? ORDER BY md5(id::text || ?::text) LIMIT 1)",
                    SEAT_STATUSES.get(b % 4), event, b % 7);
            case EDIT_SEAT_PRICE -> update(connection, "UPDATE seat SET price = price + 1 WHERE event_id = ? AND number % 3 = ?", event, b % 3);
            case DELETE_SEAT -> update(connection, "DELETE FROM seat WHERE (event_id, id) = (SELECT event_id, id FROM seat WHERE event_id = ? ORDER BY md5(id::text || ?::text) LIMIT 1)", event, b % 7);
            case OPEN_CHECKOUT -> {
                UUID session = UUID.randomUUID();
                update(connection, """
                        INSERT INTO payment_session (event_id, id, customer_id, amount, currency, expires_at)
                        VALUES (?, ?, ?, 0, 'EUR', now() + interval '15 minutes')""", event, session, customer);
                // Claims b % 4 + 1 available seats; an unlucky pick of a claimed seat is refused.
                update(connection, """
                        INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id)
                        SELECT event_id, ?, id FROM seat WHERE event_id = ? AND status = 'AVAILABLE' ORDER BY id LIMIT ?""",
                        session, event, b % 4 + 1);
                update(connection, """
                        UPDATE seat SET status = 'RESERVED' WHERE (event_id, id) IN
                          (SELECT event_id, seat_id FROM payment_session_seat WHERE payment_session_id = ? AND released_at IS NULL)""", session);
                update(connection, """
                        UPDATE payment_session SET amount = (SELECT coalesce(sum(s.price), 0) FROM payment_session_seat p
                          JOIN seat s ON (s.event_id, s.id) = (p.event_id, p.seat_id) WHERE p.payment_session_id = ?) WHERE id = ?""", session, session);
            }
            case EXPIRE_CHECKOUTS -> {
                // The sweeper: several sessions and their seats in a few set-based statements.
                update(connection, """
                        UPDATE seat SET status = 'AVAILABLE' WHERE status = 'RESERVED' AND (event_id, id) IN
                          (SELECT p.event_id, p.seat_id FROM payment_session_seat p JOIN payment_session s
                              ON (s.event_id, s.id) = (p.event_id, p.payment_session_id)
                            WHERE s.event_id = ? AND s.status = 'OPEN' AND p.released_at IS NULL)""", event);
                update(connection, """
                        UPDATE payment_session_seat SET released_at = now() WHERE released_at IS NULL AND (event_id, payment_session_id) IN
                          (SELECT event_id, id FROM payment_session WHERE event_id = ? AND status = 'OPEN')""", event);
                update(connection, "UPDATE payment_session SET status = 'EXPIRED' WHERE event_id = ? AND status = 'OPEN'", event);
            }
            case BOOK_CHECKOUT -> {
                Object session = firstOrNull("SELECT id FROM payment_session WHERE event_id = ? AND status = 'OPEN' ORDER BY md5(id::text || ?::text) LIMIT 1", event, b % 3);
                if (session == null) {
                    return;
                }
                UUID booking = UUID.randomUUID();
                update(connection, "UPDATE payment_session SET status = 'PROCESSING' WHERE id = ?", session);
                update(connection, """
                        INSERT INTO booking (event_id, id, customer_id, payment_session_id, total_amount)
                        SELECT event_id, ?, customer_id, id, amount FROM payment_session WHERE id = ?""", booking, session);
                update(connection, """
                        INSERT INTO booked_seat (event_id, booking_id, seat_id, price)
                        SELECT p.event_id, ?, p.seat_id, s.price FROM payment_session_seat p
                          JOIN seat s ON (s.event_id, s.id) = (p.event_id, p.seat_id)
                         WHERE p.payment_session_id = ? AND p.released_at IS NULL""", booking, session);
                update(connection, "UPDATE payment_session SET booking_id = ? WHERE id = ?", booking, session);
            }
            case CONFIRM_BOOKING -> {
                Object booking = firstOrNull("SELECT id FROM booking WHERE event_id = ? AND status = 'PENDING' ORDER BY md5(id::text || ?::text) LIMIT 1", event, b % 3);
                if (booking == null) {
                    return;
                }
                update(connection, "UPDATE booking SET status = 'CONFIRMED', confirmed_at = now() WHERE id = ?", booking);
                update(connection, "UPDATE payment_session SET status = 'SUCCEEDED' WHERE booking_id = ?", booking);
                update(connection, """
                        UPDATE seat SET status = 'BOOKED' WHERE (event_id, id) IN
                          (SELECT event_id, seat_id FROM booked_seat WHERE booking_id = ? AND released_at IS NULL)""", booking);
                update(connection, """
                        INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code)
                        SELECT bs.event_id, bs.booking_id, bs.seat_id, b.customer_id, md5(random()::text)
                          FROM booked_seat bs JOIN booking b ON (b.event_id, b.id) = (bs.event_id, bs.booking_id)
                         WHERE bs.booking_id = ? AND bs.released_at IS NULL""", booking);
            }
            case CANCEL_BOOKING -> {
                Object booking = firstOrNull("SELECT id FROM booking WHERE event_id = ? AND status <> 'CANCELLED' ORDER BY md5(id::text || ?::text) LIMIT 1", event, b % 3);
                if (booking == null) {
                    return;
                }
                update(connection, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking);
                update(connection, "UPDATE ticket SET status = CASE WHEN status = 'USED' THEN 'USED'::ticket_status ELSE 'REFUNDED' END WHERE booking_id = ?", booking);
                update(connection, """
                        UPDATE seat SET status = 'AVAILABLE' WHERE (event_id, id) IN
                          (SELECT event_id, seat_id FROM booked_seat WHERE booking_id = ? AND released_at IS NULL)""", booking);
                update(connection, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ? AND released_at IS NULL", booking);
            }
            case CHECK_IN -> update(connection, """
                    UPDATE ticket SET status = 'USED', checked_in_at = now()
                     WHERE (event_id, id) = (SELECT event_id, id FROM ticket WHERE event_id = ? AND status = 'VALID' ORDER BY md5(id::text || ?::text) LIMIT 1)""",
                    event, b % 3);
            case CHANGE_TOTAL -> update(connection, """
                    UPDATE booking SET total_amount = total_amount + 0.05 * ?
                     WHERE (event_id, id) = (SELECT event_id, id FROM booking WHERE event_id = ? ORDER BY md5(id::text || ?::text) LIMIT 1)""",
                    b % 5, event, b % 3);
            case DELETE_BOOKING -> {
                Object booking = firstOrNull("SELECT id FROM booking WHERE event_id = ? ORDER BY md5(id::text || ?::text) LIMIT 1", event, b % 3);
                if (booking == null) {
                    return;
                }
                update(connection, "DELETE FROM ticket WHERE booking_id = ?", booking);
                update(connection, "UPDATE payment_session SET booking_id = NULL WHERE booking_id = ?", booking);
                update(connection, "DELETE FROM booking WHERE id = ?", booking);
            }
            case RELEASE_ALL_RESERVED -> update(connection, "UPDATE seat SET status = 'AVAILABLE' WHERE event_id = ? AND status = 'RESERVED'", event);
        }
    }

    private static Object firstOrNull(String sql, Object... parameters) throws SQLException {
        var rows = query(connection, sql, parameters);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }
}
