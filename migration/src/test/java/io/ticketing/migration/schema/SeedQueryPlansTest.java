package io.ticketing.migration.schema;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each seed query, on a realistic data set (5,000 events, 100,000 seats, 25,000 bookings and
 * tickets, 20,000 checkouts), is planned with the index meant for it. Asserts on the plan, never
 * on time.
 */
class SeedQueryPlansTest {

    private static final Pattern INDEX_NAME = Pattern.compile("\"Index Name\": \"([^\"]+)\"");

    static Connection connection;
    static String event;
    static String customer;
    static String booking;
    static String bookedSeat;
    static String bookedSeatEvent;
    static String openSession;
    static String ticketCode;

    @BeforeAll
    static void loadRealisticData() throws Exception {
        connection = MigratedDatabase.connectWithoutGuards(MigratedDatabase.fresh());
        try (Statement sql = connection.createStatement()) {
            sql.execute("""
                    INSERT INTO customer (id, email, name)
                    SELECT md5('customer' || n)::uuid, 'c' || n || '@example.org', 'Customer ' || n FROM generate_series(1, 2000) n""");
            sql.execute("""
                    INSERT INTO event (id, title, starts_at, currency, status, is_deleted, deleted_at)
                    SELECT md5('event' || n)::uuid, 'Event ' || n, now() + (n - 2500) * interval '3 hours', 'EUR',
                           (ARRAY['DRAFT','PUBLISHED','PUBLISHED','PUBLISHED','CANCELLED']::event_status[])[1 + n % 5],
                           n % 10 = 0, CASE WHEN n % 10 = 0 THEN now() END
                      FROM generate_series(1, 5000) n""");
            // 100 events with 1,000 seats each (10 sections x 10 rows x 10 seats); 70 % available.
            sql.execute("""
                    INSERT INTO seat (event_id, id, section, "row", number, price, status)
                    SELECT md5('event' || (e * 50))::uuid, md5('seat' || e || '-' || n)::uuid,
                           'S' || (n / 100), 'R' || (n / 10 % 10), n % 10 + 1, 20 + n % 50,
                           CASE WHEN n % 10 < 7 THEN 'AVAILABLE' WHEN n % 10 < 9 THEN 'BOOKED' ELSE 'RESERVED' END::seat_status
                      FROM generate_series(1, 100) e, generate_series(0, 999) n""");
            sql.execute("CREATE TEMP TABLE numbered_seat AS SELECT event_id, id, price, row_number() OVER (ORDER BY id) AS rn FROM seat");
            // A confirmed booking with one ticket for every fourth seat.
            sql.execute("""
                    INSERT INTO booking (event_id, id, customer_id, total_amount, status, confirmed_at, created_at)
                    SELECT event_id, md5('booking' || id)::uuid, md5('customer' || (1 + rn % 2000))::uuid, price,
                           'CONFIRMED', now(), now() - rn * interval '1 minute'
                      FROM numbered_seat WHERE rn % 4 = 0""");
            sql.execute("""
                    INSERT INTO booked_seat (event_id, booking_id, seat_id, price)
                    SELECT event_id, md5('booking' || id)::uuid, id, price FROM numbered_seat WHERE rn % 4 = 0""");
            sql.execute("""
                    INSERT INTO ticket (event_id, booking_id, seat_id, customer_id, code)
                    SELECT event_id, md5('booking' || id)::uuid, id, md5('customer' || (1 + rn % 2000))::uuid, md5('code' || id)
                      FROM numbered_seat WHERE rn % 4 = 0""");
            // 20,000 checkouts of one seat each, 5 % of them still open.
            sql.execute("""
                    INSERT INTO payment_session (event_id, id, customer_id, amount, currency, status, expires_at)
                    SELECT event_id, md5('session' || id)::uuid, md5('customer' || (1 + rn % 2000))::uuid, price, 'EUR',
                           CASE WHEN rn % 20 = 1 THEN 'OPEN' ELSE 'EXPIRED' END::payment_session_status,
                           now() + (rn % 200 - 100) * interval '1 minute'
                      FROM numbered_seat WHERE rn % 5 = 1""");
            sql.execute("""
                    INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id, released_at)
                    SELECT event_id, md5('session' || id)::uuid, id, CASE WHEN rn % 20 = 1 THEN NULL ELSE now() END
                      FROM numbered_seat WHERE rn % 5 = 1""");
            sql.execute("VACUUM ANALYZE");
        }
        event = strings(connection, "SELECT md5('event' || 2500)::uuid").get(0);
        customer = strings(connection, "SELECT md5('customer' || 7)::uuid").get(0);
        booking = strings(connection, "SELECT booking_id FROM booked_seat ORDER BY seat_id LIMIT 1").get(0);
        bookedSeat = strings(connection, "SELECT seat_id FROM booked_seat ORDER BY seat_id LIMIT 1").get(0);
        bookedSeatEvent = strings(connection, "SELECT event_id FROM booked_seat ORDER BY seat_id LIMIT 1").get(0);
        openSession = strings(connection, "SELECT id FROM payment_session WHERE status = 'OPEN' ORDER BY id LIMIT 1").get(0);
        ticketCode = strings(connection, "SELECT code FROM ticket ORDER BY id LIMIT 1").get(0);
        assertThat(single(connection, "SELECT count(*) FROM seat")).isEqualTo(100_000L);
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    @ParameterizedTest(name = "{0} uses {2}")
    @CsvSource(delimiter = '|', textBlock = """
            getAvailableSeats     | SELECT id, section, "row", number, price FROM seat WHERE event_id = '${event}' AND status = 'AVAILABLE' ORDER BY section, "row", number | seat_available_idx
            getUpcomingEvents     | SELECT * FROM event WHERE status = 'PUBLISHED' AND is_deleted = false AND starts_at >= now() ORDER BY starts_at LIMIT 10 | event_upcoming_idx
            open checkouts by expiry | SELECT event_id, id FROM payment_session WHERE status = 'OPEN' AND expires_at < now() ORDER BY expires_at LIMIT 100 | payment_session_open_expiry_idx
            getBookingSeats       | SELECT s.* FROM booked_seat bs JOIN seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id WHERE bs.booking_id = '${booking}' | booked_seat_booking_idx
            open checkouts of a customer (quota) | SELECT count(*) FROM payment_session WHERE customer_id = '${customer}' AND status = 'OPEN' AND expires_at > now() | payment_session_customer_active_idx
            bookings of a customer | SELECT * FROM booking WHERE customer_id = '${customer}' ORDER BY created_at DESC, id DESC LIMIT 20 | booking_customer_idx
            booking holding a seat | SELECT booking_id FROM booked_seat WHERE event_id = '${seat_event}' AND seat_id = '${seat}' AND released_at IS NULL | booked_seat_active_claim_key
            seats of a checkout   | SELECT seat_id FROM payment_session_seat WHERE payment_session_id = '${session}' AND released_at IS NULL | payment_session_seat_session_idx
            ticket by code (check-in) | SELECT * FROM ticket WHERE code = '${code}' | ticket_code_idx
            getEventStats         | SELECT * FROM event_summary WHERE event_id = '${event}' | event_summary_shard_pkey
            """)
    void uses_its_index(String query, String sql, String index) throws Exception {
        String plan = String.join("\n", strings(connection, "EXPLAIN (FORMAT JSON) " + sql
                .replace("${event}", event).replace("${booking}", booking).replace("${customer}", customer)
                .replace("${seat_event}", bookedSeatEvent).replace("${seat}", bookedSeat).replace("${session}", openSession).replace("${code}", ticketCode)));
        assertThat(indexesIn(plan)).as(plan).contains(index);
    }

    private static List<String> indexesIn(String plan) {
        List<String> names = new ArrayList<>();
        Matcher matcher = INDEX_NAME.matcher(plan);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
