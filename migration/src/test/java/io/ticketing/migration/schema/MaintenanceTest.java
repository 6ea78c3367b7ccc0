package io.ticketing.migration.schema;

import io.ticketing.migration.schema.Maintenance.Action;
import io.ticketing.migration.schema.Maintenance.Finding;
import io.ticketing.migration.schema.Maintenance.Severity;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.openSession;
import static io.ticketing.migration.schema.MigratedDatabase.pendingBooking;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.seat;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 6 on a database where each problem was planted (with the commit-time guards off, as rows written
 * before them): each is found, with its count and an example naming the planted row; the online repairs fix
 * what they can, and what needs a person (a seat whose status disagrees with its claims) stays reported.
 */
class MaintenanceTest {

    /** Small enough that the test's index counts as big enough to be bloated. */
    private static final Maintenance.Settings SETTINGS = new Maintenance.Settings(0.5, 256 * 1024, 0.2, 1_000,
            Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(2), 5);

    @Test
    void a_sound_database_has_no_problem() throws SQLException {
        TestDatabase database = MigratedDatabase.fresh();
        try (Connection connection = MigratedDatabase.connect(database)) {
            UUID event = publishedEvent(connection);
            seat(connection, event, "1", 1, "10.00");
            // a table analyzed while empty, then filled (autovacuum off: no ANALYZE since): its indexes are as big as their rows
            update(connection, "ALTER TABLE idempotency_key SET (autovacuum_enabled = false)");
            update(connection, "ANALYZE idempotency_key");
            update(connection, """
                    INSERT INTO idempotency_key (principal, key, request_hash, state, response_status, response_body)
                    SELECT 'customer:test', 'key-' || g, 'hash', 'COMPLETED', 200, '{}' FROM generate_series(1, 30000) g""");
        }
        awaitLiveTuplesCounted(database, "idempotency_key", 30_000);

        assertThat(new Maintenance(database.dataSource(), SETTINGS).check(section -> { }))
                .noneMatch(finding -> finding.severity() == Severity.PROBLEM);
    }

    @Test
    void finds_each_planted_problem_and_repairs_what_can_be_repaired_online() throws SQLException {
        TestDatabase database = MigratedDatabase.fresh();
        UUID event;
        UUID wrongSeat;
        UUID stuck;
        UUID processing = UUID.randomUUID();
        UUID orphanTicket;
        UUID ticketSeat;
        UUID stuckCancellation;
        try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
            event = publishedEvent(connection);
            UUID customer = customer(connection);
            wrongSeat = seat(connection, event, "1", 1, "10.00");
            update(connection, "UPDATE seat SET status = 'BOOKED' WHERE id = ?", wrongSeat);
            // a VALID ticket of a booking that was cancelled
            ticketSeat = seat(connection, event, "1", 2, "10.00");
            UUID booking = pendingBooking(connection, event, customer, null, "10.00");
            update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 10.00)", event, booking, ticketSeat);
            orphanTicket = UUID.randomUUID();
            update(connection, "INSERT INTO ticket (event_id, id, booking_id, seat_id, customer_id, code) VALUES (?, ?, ?, ?, ?, 'code-0042')",
                    event, orphanTicket, booking, ticketSeat, customer);
            update(connection, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking);
            update(connection, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", booking);
            // counters that no longer add up
            update(connection, "UPDATE event_summary_shard SET seats_total = seats_total + 3 WHERE event_id = ? AND shard = 0", event);
            // an open checkout an hour past its expiry
            stuck = openSession(connection, event, customer, "10.00");
            update(connection, "UPDATE payment_session SET expires_at = now() - interval '1 hour' WHERE id = ?", stuck);
            // a payment processing for two days: the provider never said how it ended
            update(connection, """
                    INSERT INTO payment_session (event_id, id, customer_id, amount, currency, status, expires_at, updated_at)
                    VALUES (?, ?, ?, 10.00, 'EUR', 'PROCESSING', now() - interval '2 days', now() - interval '2 days')""",
                    event, processing, customer);
            // an event cancellation whose last batch ran an hour ago
            UUID cancelled = publishedEvent(connection);
            update(connection, """
                    INSERT INTO event_cancellation (event_id, reason, requested_by, requested_at, bookings_total, updated_at)
                    VALUES (?, 'storm', 'admin:test', now() - interval '1 hour', 3, now() - interval '1 hour')""", cancelled);
            stuckCancellation = cancelled;
            // the sales view last refreshed two hours ago
            update(connection, "INSERT INTO sales_summary_refresh (refreshed_at, duration_ms) VALUES (now() - interval '2 hours', 5)");
            // an index left invalid by a concurrent build that failed (duplicates), then the duplicates removed
            update(connection, "UPDATE seat SET price = 10.00 WHERE event_id = ?", event);
            // (and one named as the old copy an interrupted REINDEX CONCURRENTLY leaves: dropped, not rebuilt into a twin)
            for (String index : List.of("seat_price_test_key", "seat_price_test_key_ccold")) {
                try {
                    update(connection, "CREATE UNIQUE INDEX CONCURRENTLY " + index + " ON seat (price)");
                } catch (SQLException duplicates) {
                    assertThat(duplicates.getSQLState()).isEqualTo("23505");
                }
            }
            update(connection, "UPDATE seat SET price = 11.00 WHERE id = ?", ticketSeat);
            // an index grown by updates since the table's last ANALYZE, no vacuum since: a bloated primary key
            update(connection, "ALTER TABLE idempotency_key SET (autovacuum_enabled = false)");
            update(connection, """
                    INSERT INTO idempotency_key (principal, key, request_hash, state, response_status, response_body)
                    SELECT 'customer:test', 'key-' || g, 'hash', 'COMPLETED', 200, '{}' FROM generate_series(1, 30000) g""");
            // once the statistics counted the rows: counted after it, they would be counted twice beside ANALYZE's count
            awaitLiveTuplesCounted(database, "idempotency_key", 30_000);
            update(connection, "ANALYZE idempotency_key");
            update(connection, "UPDATE idempotency_key SET key = key || '-a'");
            update(connection, "UPDATE idempotency_key SET key = key || '-b'");
        }
        awaitDeadTuplesCounted(database, "idempotency_key");
        Maintenance maintenance = new Maintenance(database.dataSource(), SETTINGS);

        List<Finding> findings = maintenance.check(section -> { });

        assertThat(problem(findings, "a seat whose status disagrees with its claims").examples())
                .containsExactly("seat " + wrongSeat + " of event " + event + " (BOOKED)");
        assertThat(problem(findings, "a valid ticket on a seat not sold to its confirmed booking").examples())
                .containsExactly("ticket " + orphanTicket + " (VALID)");
        assertThat(problem(findings, "a seat for sale that a live ticket of another booking holds").examples())
                .containsExactly("seat " + ticketSeat + " of event " + event + " (AVAILABLE), ticket " + orphanTicket + " (VALID)");
        assertThat(problem(findings, SchemaInvariants.SUMMARY_DRIFT).examples())
                .singleElement().asString().startsWith("event " + event + ": ").contains("seats_total 5 -> 2");
        assertThat(problem(findings, "open checkouts the sweeper has not expired").examples())
                .singleElement().asString().startsWith("checkout " + stuck);
        assertThat(findings).filteredOn(f -> f.check().equals("checkouts whose payment has been processing for more than a day"))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.severity()).as("the provider's to settle").isEqualTo(Severity.ADVICE);
                    assertThat(finding.examples()).singleElement().asString().startsWith("checkout " + processing + " (processing since ")
                            .endsWith(", holding 0 seats)");
                });
        assertThat(problem(findings, "event cancellations not progressing").examples())
                .singleElement().asString().startsWith("event " + stuckCancellation).endsWith("bookings 0 of 3)");
        assertThat(problem(findings, "event_sales_summary refreshed").detail()).contains("older than 1 h");
        assertThat(problem(findings, "invalid indexes").examples())
                .containsExactly("seat_price_test_key on seat", "seat_price_test_key_ccold on seat");
        assertThat(problem(findings, "bloated indexes").examples()).anySatisfy(example -> assertThat(example).startsWith("idempotency_key_pkey"));
        assertThat(findings).filteredOn(f -> f.check().equals("dead tuples")).singleElement().satisfies(deadTuples -> {
            assertThat(deadTuples.severity()).isEqualTo(Severity.ADVICE);
            assertThat(deadTuples.examples()).anySatisfy(example -> assertThat(example)
                    .matches("idempotency_key: \\d+ dead of \\d+ live, last vacuum never, autovacuum off"));
            assertThat(deadTuples.detail()).as("not blamed on autovacuum being behind when it is off for the table")
                    .contains("autovacuum is off for idempotency_key");
        });
        assertThat(findings).filteredOn(f -> f.severity() == Severity.PROBLEM).hasSize(9);

        List<Action> actions = new ArrayList<>();
        actions.addAll(maintenance.repairSummaries(event1 -> { }));
        actions.addAll(maintenance.reindex(index -> { }));
        actions.add(maintenance.refreshSalesView());
        assertThat(actions).allSatisfy(action -> assertThat(action.done()).as(action.what() + ": " + action.detail()).isTrue());
        assertThat(actions).extracting(Action::what).contains("recount the summary of event " + event,
                "REINDEX INDEX CONCURRENTLY ticketing.seat_price_test_key", "REINDEX INDEX CONCURRENTLY ticketing.idempotency_key_pkey",
                "drop seat_price_test_key_ccold");

        assertThat(maintenance.check(section -> { })).filteredOn(f -> f.severity() == Severity.PROBLEM)
                .as("what needs a person stays reported")
                .extracting(Finding::check)
                .containsExactlyInAnyOrder("a seat whose status disagrees with its claims",
                        "a valid ticket on a seat not sold to its confirmed booking",
                        "a seat for sale that a live ticket of another booking holds", "open checkouts the sweeper has not expired",
                        "event cancellations not progressing");
    }

    @Test
    void reports_a_seat_for_sale_that_a_checked_in_ticket_holds_and_a_blocked_seat_the_seat_guard_refuses() throws SQLException {
        TestDatabase database = MigratedDatabase.fresh();
        UUID event;
        UUID forSale;
        UUID forSaleTicket;
        UUID blockedHeld;
        try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
            event = publishedEvent(connection);
            UUID customer = customer(connection);
            // Sold, checked in, then the booking cancelled by a writer that put the seat back on sale: the live ticket
            // still holds the seat, and the next buyer's ticket would be refused after payment.
            forSale = seat(connection, event, "1", 1, "10.00");
            forSaleTicket = checkedInThenCancelled(connection, event, customer, forSale);
            // The same on a seat taken off sale (an event's cancellation): who came in, nothing for sale.
            UUID blocked = seat(connection, event, "1", 2, "10.00");
            checkedInThenCancelled(connection, event, customer, blocked);
            update(connection, "UPDATE seat SET status = 'BLOCKED' WHERE id = ?", blocked);
            // A blocked seat with the active claim row of a cancelled checkout: ticketing.assert_seat refuses it.
            blockedHeld = seat(connection, event, "1", 3, "10.00");
            UUID checkout = openSession(connection, event, customer, "10.00");
            update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)", event, checkout, blockedHeld);
            update(connection, "UPDATE payment_session SET status = 'CANCELLED' WHERE id = ?", checkout);
            update(connection, "UPDATE seat SET status = 'BLOCKED' WHERE id = ?", blockedHeld);
        }

        List<Finding> findings = new Maintenance(database.dataSource(), SETTINGS).check(section -> { });

        assertThat(problem(findings, "a seat for sale that a live ticket of another booking holds"))
                .satisfies(finding -> assertThat(finding.count()).isEqualTo(1))
                .extracting(Finding::examples).asList()
                .containsExactly("seat " + forSale + " of event " + event + " (AVAILABLE), ticket " + forSaleTicket + " (USED)");
        assertThat(problem(findings, "a seat whose status disagrees with its claims").examples())
                .containsExactly("seat " + blockedHeld + " of event " + event + " (BLOCKED)");
    }

    @Test
    void reports_a_seat_held_by_a_checkout_and_claimed_by_another_customers_pending_booking() throws SQLException {
        TestDatabase database = MigratedDatabase.fresh();
        UUID event;
        UUID seat;
        UUID checkout;
        UUID stranger;
        try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
            event = publishedEvent(connection);
            seat = seat(connection, event, "1", 1, "10.00");
            checkout = openSession(connection, event, customer(connection), "10.00");
            update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)", event, checkout, seat);
            stranger = pendingBooking(connection, event, customer(connection), null, "10.00");
            update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 10.00)", event, stranger, seat);
            update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", seat);
            // The same twice over, but one purchase: a checkout and the pending booking it names.
            UUID paying = seat(connection, event, "1", 2, "10.00");
            UUID migrated = openSession(connection, event, customer(connection), "10.00");
            update(connection, "INSERT INTO payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)", event, migrated, paying);
            UUID its = pendingBooking(connection, event, customer(connection), null, "10.00");
            update(connection, "UPDATE payment_session SET booking_id = ? WHERE id = ?", its, migrated);
            update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 10.00)", event, its, paying);
            update(connection, "UPDATE seat SET status = 'RESERVED' WHERE id = ?", paying);
        }

        List<Finding> findings = new Maintenance(database.dataSource(), SETTINGS).check(section -> { });

        assertThat(problem(findings, "a seat held by a checkout and claimed by a pending booking of another purchase").examples())
                .containsExactly("seat " + seat + " of event " + event + ", checkout " + checkout + ", booking " + stranger);
    }

    /** A confirmed booking of {@code seat}, its ticket checked in, then the booking cancelled and its claim released. */
    private static UUID checkedInThenCancelled(Connection connection, UUID event, UUID customer, UUID seat) throws SQLException {
        UUID booking = pendingBooking(connection, event, customer, null, "10.00");
        update(connection, "INSERT INTO booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, 10.00)", event, booking, seat);
        update(connection, "UPDATE booking SET status = 'CONFIRMED', confirmed_at = now() WHERE id = ?", booking);
        UUID ticket = UUID.randomUUID();
        update(connection, "INSERT INTO ticket (event_id, id, booking_id, seat_id, customer_id, code) VALUES (?, ?, ?, ?, ?, ?)",
                event, ticket, booking, seat, customer, "code-" + seat);
        update(connection, "UPDATE ticket SET status = 'USED', checked_in_at = now() WHERE id = ?", ticket);
        update(connection, "UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", booking);
        update(connection, "UPDATE booked_seat SET released_at = now() WHERE booking_id = ?", booking);
        return ticket;
    }

    /** The statistics collector counts a session's dead tuples when it flushes (at idle or exit), not at commit. */
    private static void awaitDeadTuplesCounted(TestDatabase database, String table) throws SQLException {
        // the second update's; the first's may be pruned by the second
        awaitCounted(database, table, "n_dead_tup", 30_000);
    }

    private static void awaitLiveTuplesCounted(TestDatabase database, String table, long rows) throws SQLException {
        awaitCounted(database, table, "n_live_tup", rows);
    }

    /** The statistics' {@code counter} of {@code table} at {@code rows} at least: they reach them a moment after the commit. */
    private static void awaitCounted(TestDatabase database, String table, String counter, long rows) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection connection = MigratedDatabase.connect(database)) {
            while (((Number) MigratedDatabase.single(connection, "SELECT " + counter + " FROM pg_stat_user_tables WHERE relname = ?", table))
                    .longValue() < rows) {
                assertThat(System.nanoTime()).as(counter + " of " + table + " counted within 30 s").isLessThan(deadline);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static Finding problem(List<Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .filter(f -> f.severity() == Severity.PROBLEM)
                .orElseThrow(() -> new AssertionError("no problem reported by " + check + " in " + findings));
    }
}
