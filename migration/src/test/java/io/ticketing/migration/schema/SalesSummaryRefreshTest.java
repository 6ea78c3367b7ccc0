package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.query;
import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

class SalesSummaryRefreshTest {

    @Test
    void refreshes_concurrently_while_bookings_are_written_from_other_threads() throws Exception {
        TestDatabase database = MigratedDatabase.fresh();
        UUID customer;
        List<UUID> events = new ArrayList<>();
        try (Connection setup = MigratedDatabase.connect(database)) {
            customer = customer(setup);
            for (int i = 0; i < 3; i++) {
                UUID event = publishedEvent(setup);
                update(setup, "INSERT INTO seat (event_id, section, \"row\", number, price) SELECT ?, 'A', '1', n, 25 FROM generate_series(1, 2000) n", event);
                events.add(event);
            }
        }

        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<Integer>> written = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            written.add(writers.submit(() -> {
                int bookings = 0;
                try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
                    connection.setAutoCommit(false);
                    while (writing.get() && bookings < 400) {
                        UUID event = events.get((writer + bookings) % events.size());
                        UUID booking = UUID.randomUUID();
                        update(connection, """
                                INSERT INTO booking (event_id, id, customer_id, total_amount, status, confirmed_at)
                                VALUES (?, ?, ?, 25.00, 'CONFIRMED', now())""", event, booking, customer);
                        update(connection, """
                                WITH picked AS (
                                    SELECT event_id, id FROM seat WHERE event_id = ? AND status = 'AVAILABLE'
                                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                                UPDATE seat s SET status = 'BOOKED' FROM picked
                                 WHERE (s.event_id, s.id) = (picked.event_id, picked.id)""", event);
                        connection.commit();
                        bookings++;
                    }
                }
                return bookings;
            }));
        }

        int refreshes = 0;
        try (Connection analytics = MigratedDatabase.connect(database)) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until || refreshes < 3) {
                update(analytics, "REFRESH MATERIALIZED VIEW CONCURRENTLY event_sales_summary");
                refreshes++;
            }
            writing.set(false);
            int total = 0;
            for (Future<Integer> bookings : written) {
                total += bookings.get(30, TimeUnit.SECONDS);
            }
            writers.shutdown();

            update(analytics, "REFRESH MATERIALIZED VIEW CONCURRENTLY event_sales_summary");
            assertThat(refreshes).isGreaterThanOrEqualTo(3);
            assertThat(total).isPositive();
            assertThat(single(analytics, "SELECT sum(bookings) FROM event_sales_summary")).isEqualTo(java.math.BigDecimal.valueOf(total));
            List<Map<String, Object>> rows = query(analytics, """
                    SELECT v.event_id FROM event_sales_summary v JOIN event_summary s USING (event_id)
                     WHERE v.tickets_sold <> s.tickets_sold OR v.bookings <> s.bookings_confirmed
                        OR v.total_revenue <> s.gross_revenue
                        OR v.sell_through <> round(s.seats_booked::numeric / s.seats_total, 4)
                        OR v.last_sale_at IS NULL""");
            assertThat(rows).isEmpty();
            assertThat(single(analytics, "SELECT count(*) FROM event_sales_summary WHERE event_id = ANY (?)",
                    analytics.createArrayOf("uuid", events.toArray()))).isEqualTo(3L);
            assertThat(query(analytics, "SELECT * FROM event_summary_drift")).isEmpty();
        } finally {
            writing.set(false);
            writers.shutdownNow();
        }
    }
}
