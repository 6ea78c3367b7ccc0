package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.strings;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/** V21: an event's revenue and refunds hold whatever its bookings add up to, past numeric(14, 2). */
class EventSumsTest {

    private static final String LARGEST_TOTAL = "99999999.99";
    /** One booking more than numeric(14, 2) holds at the largest total: 1,000,099,999,899.99. */
    private static final int BOOKINGS = 10_001;
    private static final BigDecimal SALES = new BigDecimal(LARGEST_TOTAL).multiply(BigDecimal.valueOf(BOOKINGS));

    @Test
    void confirmed_and_refunded_bookings_past_the_old_ceiling_are_counted_in_the_summary_and_the_analytics() throws Exception {
        TestDatabase database = MigratedDatabase.fresh();
        // Bookings without seats: the commit-time guards would want each one's seats; the summary triggers run all the same.
        try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
            UUID event = publishedEvent(connection);
            confirmedBookings(connection, event, customer(connection));
            assertThat(sums(connection, event)).containsExactly(SALES.toPlainString(), "0.00");

            update(connection, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE event_id = ?", event);
            assertThat(sums(connection, event)).containsExactly("0.00", SALES.toPlainString());
            assertThat(strings(connection, "SELECT event_id::text FROM event_summary_drift")).isEmpty();

            assertThat(single(connection, "SELECT refresh_event_sales_summary(true)")).isEqualTo(true);
            assertThat(single(connection, "SELECT refunds::text FROM event_sales_summary WHERE event_id = ?", event))
                    .isEqualTo(SALES.toPlainString());
            // The recount that repairs a summary adds up as the triggers do.
            assertThat(single(connection, "SELECT rebuild_event_summary()")).isEqualTo(0L);
        }
    }

    @Test
    void upgrading_from_v20_keeps_the_sums_and_the_views_over_them() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        SchemaMigrator.upTo(database.dataSource(), "20").migrate();
        UUID event;
        List<String> before;
        try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
            event = publishedEvent(connection);
            update(connection, """
                    INSERT INTO booking (event_id, customer_id, total_amount, status, confirmed_at)
                    VALUES (?, ?, 125.50, 'CONFIRMED', now())""", event, customer(connection));
            update(connection, "REFRESH MATERIALIZED VIEW event_sales_summary");
            before = sums(connection, event);
        }

        assertThat(SchemaMigrator.upTo(database.dataSource(), "21").migrate()).containsExactly("21");

        try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
            assertThat(before).containsExactly("125.50", "0.00");
            assertThat(sums(connection, event)).isEqualTo(before);
            assertThat(single(connection, "SELECT total_revenue::text FROM event_sales_summary WHERE event_id = ?", event))
                    .as("the analytics view made again with its data").isEqualTo("125.50");
            update(connection, "REFRESH MATERIALIZED VIEW CONCURRENTLY event_sales_summary");
            assertThat(strings(connection, """
                    SELECT DISTINCT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                     WHERE a.attrelid IN ('event_summary_shard'::regclass, 'event_summary'::regclass,
                                          'event_summary_recount'::regclass, 'event_sales_summary'::regclass)
                       AND a.attname IN ('gross_revenue', 'refunded_amount', 'total_revenue', 'refunds')"""))
                    .containsExactly("numeric(20,2)");
        }
    }

    private static void confirmedBookings(Connection connection, UUID event, UUID customer) throws Exception {
        update(connection, """
                INSERT INTO booking (event_id, customer_id, total_amount, status, confirmed_at)
                SELECT ?, ?, ?, 'CONFIRMED', now() FROM generate_series(1, ?)""",
                event, customer, new BigDecimal(LARGEST_TOTAL), BOOKINGS);
    }

    private static List<String> sums(Connection connection, UUID event) throws Exception {
        return strings(connection, """
                SELECT x FROM event_summary s, LATERAL (VALUES (1, s.gross_revenue::text), (2, s.refunded_amount::text)) v(n, x)
                 WHERE s.event_id = ? ORDER BY n""", event);
    }
}
