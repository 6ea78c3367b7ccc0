package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.openSession;
import static io.ticketing.migration.schema.MigratedDatabase.pendingBooking;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.seat;
import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.strings;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/** V4: the summary split over 16 shard rows per event, reached from V3 with data, and added to concurrently. */
class ShardedSummaryTest {

    private static final String SUMMARY = "SELECT (to_jsonb(s) - 'created_at' - 'updated_at')::text FROM event_summary s ORDER BY event_id";

    @Test
    void upgrading_from_v3_keeps_every_counter_and_the_views_that_read_them() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        assertThat(SchemaMigrator.upTo(database.dataSource(), "3").migrate()).containsExactly("1", "2", "3");
        List<String> before;
        try (Connection connection = MigratedDatabase.connect(database)) {
            UUID buyer = customer(connection);
            for (int e = 0; e < 3; e++) {
                UUID event = publishedEvent(connection);
                UUID held = seat(connection, event, "1", 1, "30.00");
                seat(connection, event, "1", 2, "30.00");
                update(connection, "UPDATE seat SET status = 'BLOCKED' WHERE event_id = ? AND number = 2", event);
                UUID session = openSession(connection, event, buyer, "30.00");
                update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)", event, session, held);
                update(connection, "UPDATE seat SET status = 'RESERVED' WHERE event_id = ? AND id = ?", event, held);
                pendingBooking(connection, event, buyer, session, "30.00");
            }
            before = strings(connection, SUMMARY);
            assertThat(strings(connection, "SELECT table_type FROM information_schema.tables WHERE table_schema = 'ticketing' AND table_name = 'event_summary'"))
                    .containsExactly("BASE TABLE");
        }

        assertThat(SchemaMigrator.upTo(database.dataSource(), "4").migrate()).containsExactly("4");

        try (Connection connection = MigratedDatabase.connect(database)) {
            assertThat(strings(connection, SUMMARY)).isEqualTo(before);
            assertThat(strings(connection, "SELECT event_id::text FROM event_summary_drift")).isEmpty();
            assertThat(single(connection, "SELECT count(*) FROM event_summary_shard")).isEqualTo(3L * 16);
            assertThat(single(connection, "SELECT count(*) FROM event_summary_shard WHERE shard <> 0 AND seats_total <> 0")).isEqualTo(0L);
            // The analytics view is rebuilt over the new view, populated and refreshable.
            assertThat(single(connection, "SELECT count(*) FROM event_sales_summary")).isEqualTo(3L);
            update(connection, "REFRESH MATERIALIZED VIEW CONCURRENTLY event_sales_summary");
            assertThat(single(connection, "SELECT rebuild_event_summary()")).isEqualTo(0L);
        }
    }

    @Test
    void concurrent_transactions_add_to_different_shards_and_the_sum_stays_exact() throws Exception {
        TestDatabase database = MigratedDatabase.fresh();
        UUID event;
        List<UUID> seats = new ArrayList<>();
        try (Connection connection = MigratedDatabase.connect(database)) {
            event = publishedEvent(connection);
            assertThat(single(connection, "SELECT count(*) FROM event_summary_shard WHERE event_id = ?", event)).isEqualTo(16L);
            for (int n = 1; n <= 40; n++) {
                seats.add(seat(connection, event, "1", n, "10.00"));
            }
        }
        // Sixteen writers (one per shard), each holding its transaction open until all have written:
        // no two may wait for one another, which they would if two added to one row.
        int writers = 16;
        CountDownLatch allWritten = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> shards = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<UUID> mine = seats.subList(w * 2, w * 2 + 2);
            shards.add(pool.submit(() -> {
                try (Connection connection = MigratedDatabase.connect(database)) {
                    connection.setAutoCommit(false);
                    update(connection, "UPDATE seat SET status = 'BLOCKED' WHERE event_id = ? AND id = ANY (?)",
                            event, connection.createArrayOf("uuid", mine.toArray()));
                    int shard = Integer.parseInt((String) single(connection, "SELECT current_setting('ticketing.summary_shard')"));
                    allWritten.countDown();
                    // Bounded: a writer stuck behind another's row must not hang the test, only fail it.
                    boolean together = allWritten.await(20, TimeUnit.SECONDS);
                    connection.commit();
                    return together ? shard : -1;
                }
            }));
        }
        List<Integer> used = new ArrayList<>();
        for (Future<Integer> shard : shards) {
            used.add(shard.get());
        }
        pool.shutdown();

        assertThat(used).as("shards of transactions running at once (-1: a writer waited for another)")
                .doesNotContain(-1).doesNotHaveDuplicates();
        try (Connection connection = MigratedDatabase.connect(database)) {
            assertThat(single(connection, "SELECT seats_blocked FROM event_summary WHERE event_id = ?", event)).isEqualTo(32L);
            assertThat(single(connection, "SELECT seats_available FROM event_summary WHERE event_id = ?", event)).isEqualTo(8L);
            assertThat(single(connection, "SELECT count(*) FROM event_summary_shard WHERE event_id = ? AND seats_blocked > 0", event))
                    .isEqualTo((long) writers);
            assertThat(strings(connection, "SELECT event_id::text FROM event_summary_drift")).isEmpty();
        }
    }
}
