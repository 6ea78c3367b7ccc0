package io.ticketing.benchmarks;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hot-event}: every buyer on one event. N client threads run the booking flow through the
 * domain's use cases and the MyBatis adapter (open a checkout for 1–2 seats, then the payment
 * succeeds: booking, booked seats, tickets), each on seats nobody else takes, so the only shared
 * rows are the event's. Fresh databases side by side (no-guards shares sharded's), measured in turns:
 * <ul>
 *   <li>{@code sharded}: the schema as shipped (V4: each transaction locks and adds to one of the
 *       event's 16 summary shard rows; V9: the seat and claim guards check each written row at commit);</li>
 *   <li>{@code no-guards}: as shipped, but with V9's guards off for its connections, in sharded's database on an
 *       event of its own: what they cost;</li>
 *   <li>{@code single-row}: the design before V4, in that database only: every transaction's shard is
 *       0, so all lock and add to one summary row, as they did to V3's event_summary row;</li>
 *   <li>{@code no-triggers}: the event_summary_on_* triggers of seat, booking and ticket disabled;</li>
 *   <li>{@code no-summary-lock}: disabled too, and the event's shard rows deleted, so that the
 *       adapter's shard lock (taken before any seat lock) locks nothing: the flow without any summary
 *       work at all, the upper bound.</li>
 * </ul>
 */
public final class HotEvent {

    private static final String USAGE = "hot-event [--threads 16] [--pool 5] [--seconds 12] [--runs 5] [--warm-up-seconds 10] [--seats 100000]";
    private static final Actor ADMIN = Actor.admin("benchmark");
    private static final Actor PAYMENTS = Actor.system("payment-webhook");

    private HotEvent() {
    }

    enum Variant {
        SHARDED("sharded", "summary triggers on, 16 shard rows per event, the seat and claim guards on (as shipped, V4 and V9)"),
        NO_GUARDS("no-guards", "as shipped, but the V9 guards off (ticketing.check_invariants = off), in the sharded database"),
        SINGLE_ROW("single-row", "summary triggers on, one row per event (the design before V4)"),
        NO_TRIGGERS("no-triggers", "event_summary_on_* triggers disabled"),
        NO_SUMMARY_LOCK("no-summary-lock", "triggers disabled and no shard row to lock");

        final String label;
        final String description;

        Variant(String label, String description) {
            this.label = label;
            this.description = description;
        }
    }

    record RunResult(Variant variant, int run, long bookings, long failures, double seconds, double p50, double p99) {
        double perSecond() {
            return bookings / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "threads", "pool", "seconds", "runs", "warm-up-seconds", "seats");
        int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
        int pool = Integer.parseInt(options.getOrDefault("pool", Integer.toString(ConnectionPool.DEFAULT_SIZE)));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "12"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        int seats = Integer.parseInt(options.getOrDefault("seats", "100000"));
        int warmUp = Integer.parseInt(options.getOrDefault("warm-up-seconds", "10"));
        String command = Bench.command("benchmarks/run hot-event " + String.join(" ", args));

        try (LocalPostgres server = Bench.startServer()) {
            String machine = Bench.machineLine(server);
            System.out.println(machine);
            Map<Variant, Setup> setups = new LinkedHashMap<>();
            for (Variant variant : Variant.values()) {
                setups.put(variant, setUp(server, variant, pool, seats, threads));
            }
            try {
                for (Setup setup : setups.values()) { // warm-up: JIT, caches, prepared statements
                    measure(setup, threads, Duration.ofSeconds(warmUp));
                    vacuum(server, setup);
                }
                List<RunResult> results = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    List<Variant> order = new ArrayList<>(List.of(Variant.values()));
                    Collections.rotate(order, run - 1);
                    for (Variant variant : order) {
                        RunResult r = measure(setups.get(variant), threads, Duration.ofSeconds(seconds));
                        r = new RunResult(variant, run, r.bookings(), r.failures(), r.seconds(), r.p50(), r.p99());
                        System.out.printf(Locale.ROOT, "run %d %-16s %8.1f bookings/s  p50 %s  p99 %s  (%d bookings, %d failed)%n",
                                run, variant.label, r.perSecond(), Bench.ms(r.p50()), Bench.ms(r.p99()), r.bookings(), r.failures());
                        results.add(r);
                        vacuum(server, setups.get(variant));
                    }
                }
                Map<Variant, String> checks = new LinkedHashMap<>();
                for (Setup setup : setups.values()) {
                    checks.put(setup.variant(), check(server, setup));
                }
                String doc = document(machine, command, threads, pool, seconds, runs, warmUp, seats, results, checks);
                System.out.println();
                System.out.println(doc);
                Bench.writeSection("hot-event", doc);
            } finally {
                setups.values().forEach(s -> s.pool().close());
            }
        }
    }

    record Setup(Variant variant, String database, ConnectionPool pool, TicketingServices services, Event event,
                 List<Customer> customers, ConcurrentLinkedQueue<SeatId> freeSeats) {
    }

    private static Setup setUp(LocalPostgres server, Variant variant, int poolSize, int seats, int threads) throws SQLException {
        String url;
        String database;
        if (variant == Variant.NO_GUARDS) {
            // In the sharded variant's database (Variant.values() sets it up first), on an event of its own, through
            // connections that turn the guards off: the two share their tables, their size and their statistics.
            database = databaseOf(Variant.SHARDED);
            url = server.jdbcUrl(database) + "?options=-c%20ticketing.check_invariants%3Doff";
        } else {
            database = databaseOf(variant);
            url = Bench.createDatabase(server, database);
            new SchemaMigrator(Bench.dataSource(server, database)).migrate();
        }
        ConnectionPool pool = ConnectionPool.open(url, LocalPostgres.SUPERUSER, "", poolSize, Duration.ofSeconds(60));
        TicketingServices services = TicketingServices.wire(MyBatisTicketingAdapter.create(pool.dataSource(), Clock.systemUTC()));
        Event event = Bench.publishedEvent(services, ADMIN, "Hot event", seats);
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            customers.add(services.customers().registerCustomer(new RegisterCustomerCommand(ADMIN,
                    "buyer" + i + "-" + variant.label + "@example.com", "Buyer " + i)));
        }
        List<SeatId> available = new ArrayList<>(Bench.availableSeats(services, ADMIN, event.id()));
        Collections.shuffle(available, new Random(variant.ordinal()));
        try (Connection c = Bench.connect(server, database)) {
            if (variant == Variant.NO_TRIGGERS || variant == Variant.NO_SUMMARY_LOCK) {
                for (Object[] trigger : Bench.rows(c, """
                        SELECT tgrelid::regclass::text, tgname FROM pg_trigger
                         WHERE tgname LIKE 'event_summary_on_%' AND NOT tgisinternal
                           AND tgrelid IN ('ticketing.seat'::regclass, 'ticketing.booking'::regclass, 'ticketing.ticket'::regclass)""")) {
                    Bench.execute(c, "ALTER TABLE " + trigger[0] + " DISABLE TRIGGER " + trigger[1]);
                }
            }
            if (variant == Variant.NO_SUMMARY_LOCK) {
                Bench.execute(c, "DELETE FROM ticketing.event_summary_shard WHERE event_id = '" + event.id().value() + "'");
            }
            if (variant == Variant.SINGLE_ROW) {
                // The adapter's lock and the triggers' additions both take their shard from this function:
                // shard 0 for everyone, waiting for it as for V3's one row.
                Bench.execute(c, """
                        CREATE OR REPLACE FUNCTION ticketing.event_summary_shard_lock(p_event_id uuid) RETURNS smallint
                            LANGUAGE plpgsql VOLATILE
                        AS $$
                        BEGIN
                            PERFORM set_config('ticketing.summary_shard', '0', true);
                            PERFORM 1 FROM ticketing.event_summary_shard
                              WHERE event_id = p_event_id AND shard = 0 FOR NO KEY UPDATE;
                            RETURN 0;
                        END
                        $$""");
            }
            Bench.execute(c, "VACUUM ANALYZE");
        }
        System.out.printf("%s: database %s, event %s with %d seats, %d customers, pool of %d connections%n",
                variant.label, database, event.id().value(), available.size(), customers.size(), poolSize);
        return new Setup(variant, database, pool, services, event, customers, new ConcurrentLinkedQueue<>(available));
    }

    /**
     * After a run, not measured: the autovacuum its writes call for would otherwise run during the next run, which
     * in the rotation is always the same variant (no-guards after sharded), on the same cores.
     */
    private static void vacuum(LocalPostgres server, Setup setup) throws SQLException {
        try (Connection c = Bench.connect(server, setup.database())) {
            Bench.execute(c, "VACUUM ANALYZE");
        }
    }

    private static String databaseOf(Variant variant) {
        return "hot_" + variant.name().toLowerCase(Locale.ROOT);
    }

    /** Every thread books for its own customer until the time is up; latency = checkout + payment. */
    private static RunResult measure(Setup setup, int threads, Duration duration) throws InterruptedException {
        AtomicLong failures = new AtomicLong();
        List<List<Double>> latencies = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] window = new long[2];
        for (int t = 0; t < threads; t++) {
            List<Double> mine = new ArrayList<>();
            latencies.add(mine);
            Customer customer = setup.customers().get(t);
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long deadline = window[1];
                while (System.nanoTime() < deadline) {
                    int want = ThreadLocalRandom.current().nextInt(1, 3);
                    List<SeatId> seats = new ArrayList<>(want);
                    for (int i = 0; i < want; i++) {
                        SeatId seat = setup.freeSeats().poll();
                        if (seat == null) {
                            throw new IllegalStateException("out of seats: run with more --seats");
                        }
                        seats.add(seat);
                    }
                    long began = System.nanoTime();
                    try {
                        book(setup, customer, seats);
                        mine.add(Bench.millisSince(began));
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() <= 3) {
                            System.out.println(setup.variant().label + ": booking failed: " + e);
                        }
                    }
                }
            }, "buyer-" + t);
            workers.add(worker);
            worker.start();
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        List<Double> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        return new RunResult(setup.variant(), 0, all.size(), failures.get(), seconds, Bench.median(all), Bench.percentile(all, 99));
    }

    private static void book(Setup setup, Customer customer, List<SeatId> seats) {
        TicketingServices services = setup.services();
        PaymentSession checkout = services.checkouts().openCheckout(OpenCheckoutCommand.byCustomer(customer.id(), setup.event().id(), seats));
        services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, checkout.id(), PaymentResult.SUCCEEDED,
                "pi_" + UUID.randomUUID(), checkout.amount()));
    }

    /** Counts after the runs: confirmed bookings, tickets, seats sold twice, and (with triggers) summary drift. */
    private static String check(LocalPostgres server, Setup setup) throws SQLException {
        try (Connection c = Bench.connect(server, setup.database())) {
            // The variant's own event: no-guards books in the sharded variant's database.
            UUID event = setup.event().id().value();
            long bookings = Bench.count(c, "SELECT count(*) FROM ticketing.booking WHERE event_id = ? AND status = 'CONFIRMED'", event);
            long tickets = Bench.count(c, "SELECT count(*) FROM ticketing.ticket WHERE event_id = ? AND status = 'VALID'", event);
            long booked = Bench.count(c, "SELECT count(*) FROM ticketing.seat WHERE event_id = ? AND status = 'BOOKED'", event);
            long twice = Bench.count(c, """
                    SELECT count(*) FROM (SELECT seat_id FROM ticketing.ticket WHERE event_id = ? AND status IN ('VALID', 'USED')
                                          GROUP BY event_id, seat_id HAVING count(*) > 1) d""", event);
            String drift = switch (setup.variant()) {
                case SHARDED, NO_GUARDS, SINGLE_ROW -> Bench.count(c, "SELECT count(*) FROM ticketing.event_summary_drift WHERE event_id = ?", event)
                        + " events whose summary differs from a recount, "
                        + Bench.count(c, "SELECT count(*) FROM ticketing.event_summary_shard WHERE event_id = ? AND seats_booked <> 0", event)
                        + " shard rows with sales";
                default -> "summary not maintained (by design of this variant)";
            };
            return "%d confirmed bookings, %d tickets, %d seats BOOKED, %d seats ticketed twice; %s".formatted(bookings, tickets, booked, twice, drift);
        }
    }

    private static String document(String machine, String command, int threads, int pool, int seconds, int runs, int warmUp, int seats,
                                   List<RunResult> results, Map<Variant, String> checks) {
        StringBuilder doc = new StringBuilder();
        doc.append("## Hot event: the guards' cost; one summary row vs sharded counters vs no summary\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server settings: ").append(Bench.settings()).append(".\n\n");
        doc.append("""
                One published event with %,d seats; %d client threads, each its own customer, book through the domain's
                use cases and the MyBatis adapter (the API's code path without HTTP): `openCheckout` for 1–2 seats (taken
                from a shuffled queue, so no two clients want the same seat), then `applyPaymentResult(SUCCEEDED)`
                (booking, booked seats, seats BOOKED, tickets). Connection pool: %d (the application's default,
                `ConnectionPool.DEFAULT_SIZE`, is %d on this machine). Each variant has its own fresh database on the same
                server, but no-guards (below); after a %d s warm-up each, %d runs of %d s per variant, in rotating order (the noise of this machine
                drifts over minutes, so each run's measurements are adjacent in time and ratios are also taken run by run),
                each run followed by a `VACUUM ANALYZE` of its database, not measured (without it, the autovacuum that a run's
                writes call for ran during the next run, in the rotation always the same variant's).
                Latency = checkout + payment, as one client sees it (including the wait for a pooled connection).

                - **sharded**: the schema as shipped. Since V4 each transaction locks one of the event's 16
                  `event_summary_shard` rows that no other transaction holds (`event_summary_shard_lock`, SKIP LOCKED)
                  before any seat, and the summary triggers add to that row. Since V9 the seat and claim guards
                  (constraint triggers deferred to the commit) check, once per transaction, each seat, checkout and booking it wrote.
                - **no-guards**: as shipped, with the V9 guards off: in the sharded variant's database, on an event of
                  its own, through connections that set `ticketing.check_invariants = off` (the JDBC URL's `options`),
                  so that it shares sharded's tables and their statistics: what the guards cost.
                - **single-row**: the design before V4, reproduced in that database by making
                  `event_summary_shard_lock` always take row 0: every transaction locks and adds to the same row,
                  as all did to V3's one `event_summary` row per event.
                - **no-triggers**: `ALTER TABLE … DISABLE TRIGGER` for the `event_summary_on_*` triggers of seat, booking
                  and ticket (the adapter still locks its shard row).
                - **no-summary-lock**: triggers disabled and the event's shard rows deleted, so that the adapter's lock
                  finds nothing: no summary work at all, the upper bound.

                """.formatted(seats, threads, pool, ConnectionPool.DEFAULT_SIZE, warmUp, runs, seconds));
        List<List<String>> rows = new ArrayList<>();
        Map<Variant, Double> throughput = new LinkedHashMap<>();
        Map<Variant, Double> p99 = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            List<RunResult> mine = results.stream().filter(r -> r.variant() == v).toList();
            double tput = Bench.median(mine.stream().map(RunResult::perSecond).toList());
            double p50 = Bench.median(mine.stream().map(RunResult::p50).toList());
            throughput.put(v, tput);
            p99.put(v, Bench.median(mine.stream().map(RunResult::p99).toList()));
            String each = String.join(", ", mine.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.perSecond())).toList());
            long failures = mine.stream().mapToLong(RunResult::failures).sum();
            rows.add(List.of(v.label, v.description, String.format(Locale.ROOT, "**%.1f**", tput), each, Bench.ms(p50),
                    Bench.ms(p99.get(v)), Long.toString(failures)));
        }
        doc.append(Bench.table(List.of("variant", "what", "bookings/s (median)", "each run", "p50 latency", "p99 latency", "failed"), rows));
        doc.append(String.format(Locale.ROOT, """

                Ratios of the medians (run by run in brackets, then their median):
                - the guards (V9), throughput sharded / no-guards = **%s** %s (goal ≥ 0.9); p99 latency no-guards / sharded = **%s**;
                - after / before, throughput sharded / single-row = **%s** %s; p99 latency single-row / sharded = **%s**;
                - what the summary costs before V4, no-triggers / single-row = **%s** %s, no-summary-lock / single-row = **%s** %s;
                - and after, no-triggers / sharded = **%s** %s, no-summary-lock / sharded = **%s** %s.

                After the runs (warm-up bookings included): %s
                """,
                Bench.ratio(throughput.get(Variant.SHARDED) / throughput.get(Variant.NO_GUARDS)), runByRun(results, runs, Variant.SHARDED, Variant.NO_GUARDS),
                Bench.ratio(p99.get(Variant.NO_GUARDS) / p99.get(Variant.SHARDED)),
                Bench.ratio(throughput.get(Variant.SHARDED) / throughput.get(Variant.SINGLE_ROW)), runByRun(results, runs, Variant.SHARDED, Variant.SINGLE_ROW),
                Bench.ratio(p99.get(Variant.SINGLE_ROW) / p99.get(Variant.SHARDED)),
                Bench.ratio(throughput.get(Variant.NO_TRIGGERS) / throughput.get(Variant.SINGLE_ROW)), runByRun(results, runs, Variant.NO_TRIGGERS, Variant.SINGLE_ROW),
                Bench.ratio(throughput.get(Variant.NO_SUMMARY_LOCK) / throughput.get(Variant.SINGLE_ROW)), runByRun(results, runs, Variant.NO_SUMMARY_LOCK, Variant.SINGLE_ROW),
                Bench.ratio(throughput.get(Variant.NO_TRIGGERS) / throughput.get(Variant.SHARDED)), runByRun(results, runs, Variant.NO_TRIGGERS, Variant.SHARDED),
                Bench.ratio(throughput.get(Variant.NO_SUMMARY_LOCK) / throughput.get(Variant.SHARDED)), runByRun(results, runs, Variant.NO_SUMMARY_LOCK, Variant.SHARDED),
                String.join("; ", checks.entrySet().stream().map(e -> e.getKey().label + ": " + e.getValue()).toList())));
        return doc.toString();
    }

    /** Throughput ratio {@code a / b} of each run (both measured adjacent in time), and their median. */
    private static String runByRun(List<RunResult> results, int runs, Variant a, Variant b) {
        List<Double> ratios = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            int r = run;
            double top = results.stream().filter(x -> x.run() == r && x.variant() == a).findFirst().orElseThrow().perSecond();
            double bottom = results.stream().filter(x -> x.run() == r && x.variant() == b).findFirst().orElseThrow().perSecond();
            ratios.add(top / bottom);
        }
        return "(" + String.join(", ", ratios.stream().map(Bench::ratio).toList()) + "; " + Bench.ratio(Bench.median(ratios)) + ")";
    }
}
