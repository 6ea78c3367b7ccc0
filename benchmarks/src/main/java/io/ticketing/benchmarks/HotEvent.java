package io.ticketing.benchmarks;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
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
import java.util.stream.IntStream;

/**
 * {@code hot-event}: every buyer on one event. N client threads run the booking flow through the
 * domain's use cases and the MyBatis adapter (open a checkout for 1–2 seats, then the payment
 * succeeds: booking, booked seats, tickets), each on seats nobody else takes, so the only shared
 * rows are the event's. Three fresh databases side by side, measured in turns:
 * <ul>
 *   <li>{@code triggers}: the schema as it is;</li>
 *   <li>{@code no-triggers}: the event_summary_on_* triggers of seat, booking and ticket disabled;</li>
 *   <li>{@code no-summary-lock}: disabled too, and the event's summary row deleted, so that the
 *       adapter's {@code SELECT … FROM event_summary … FOR UPDATE} (taken before any seat lock) locks
 *       nothing: the flow without any summary serialization at all.</li>
 *   <li>{@code sharded}: a prototype of sharded counters (see {@link #SHARDED_SUMMARY}).</li>
 * </ul>
 */
public final class HotEvent {

    private static final String USAGE = "hot-event [--threads 16] [--pool 5] [--seconds 12] [--runs 5] [--warm-up-seconds 10] [--seats 100000]";
    private static final Actor ADMIN = Actor.admin("benchmark");
    private static final Actor PAYMENTS = Actor.system("payment-webhook");

    private HotEvent() {
    }

    enum Variant {
        TRIGGERS("triggers", "summary triggers on (as shipped)"),
        NO_TRIGGERS("no-triggers", "event_summary_on_* triggers disabled"),
        NO_SUMMARY_LOCK("no-summary-lock", "triggers disabled and no summary row to lock"),
        SHARDED("sharded (prototype)", "triggers on, adding to one of 16 shard rows per event");

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
        String database = "hot_" + variant.name().toLowerCase(Locale.ROOT);
        String url = Bench.createDatabase(server, database);
        new SchemaMigrator(Bench.dataSource(server, database)).migrate();
        ConnectionPool pool = ConnectionPool.open(url, LocalPostgres.SUPERUSER, "", poolSize, Duration.ofSeconds(60));
        TicketingServices services = TicketingServices.wire(MyBatisTicketingAdapter.create(pool.dataSource(), Clock.systemUTC()));
        Instant startsAt = Instant.now().plus(Duration.ofDays(30));
        Event event = services.events().createEvent(new CreateEventCommand(ADMIN,
                new EventDetails("Hot event", "everyone wants in", "Arena", startsAt, startsAt.plus(Duration.ofHours(3))),
                Currency.getInstance("EUR")));
        int sections = (seats + 9_999) / 10_000;
        List<SeatBlock> blocks = IntStream.range(0, sections)
                .mapToObj(s -> new SeatBlock("S" + s, IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).toList(), 1, 100,
                        new BigDecimal("50.00")))
                .toList();
        services.seats().createSeats(new CreateSeatsCommand(ADMIN, event.id(), blocks));
        event = services.events().publishEvent(new EventCommand(ADMIN, event.id()));
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            customers.add(services.customers().registerCustomer(new RegisterCustomerCommand(ADMIN,
                    "buyer" + i + "@example.com", "Buyer " + i)));
        }
        List<SeatId> available = new ArrayList<>(services.seats().getAvailableSeats(new EventQuery(ADMIN, event.id()))
                .stream().map(Seat::id).toList());
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
                Bench.execute(c, "DELETE FROM ticketing.event_summary WHERE event_id = '" + event.id().value() + "'");
            }
            if (variant == Variant.SHARDED) {
                Bench.execute(c, SHARDED_SUMMARY.replace("{event}", event.id().value().toString()));
            }
            Bench.execute(c, "VACUUM ANALYZE");
        }
        System.out.printf("%s: database %s, event %s with %d seats, %d customers, pool of %d connections%n",
                variant.label, database, event.id().value(), available.size(), customers.size(), poolSize);
        return new Setup(variant, database, pool, services, event, customers, new ConcurrentLinkedQueue<>(available));
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

    /**
     * The sharded-counter prototype, in this benchmark's database only: event_summary_add (called by
     * every summary trigger) adds to shard pg_backend_pid() % 16 of ticketing.event_summary_shard, and
     * the event's event_summary row moves to shard 0, so the adapter's summary-row lock finds nothing.
     * (The real design would lock the transaction's own shard first, to keep one lock order.)
     */
    private static final String SHARDED_SUMMARY = """
            CREATE TABLE ticketing.event_summary_shard (LIKE ticketing.event_summary INCLUDING DEFAULTS);
            ALTER TABLE ticketing.event_summary_shard ADD COLUMN shard smallint NOT NULL DEFAULT 0,
                ADD PRIMARY KEY (event_id, shard);
            INSERT INTO ticketing.event_summary_shard SELECT *, 0 FROM ticketing.event_summary WHERE event_id = '{event}';
            DELETE FROM ticketing.event_summary WHERE event_id = '{event}';
            CREATE OR REPLACE FUNCTION ticketing.event_summary_add(
                p_event_id uuid, p_seats_total bigint DEFAULT 0, p_seats_available bigint DEFAULT 0, p_seats_reserved bigint DEFAULT 0,
                p_seats_booked bigint DEFAULT 0, p_seats_blocked bigint DEFAULT 0, p_bookings_pending bigint DEFAULT 0,
                p_bookings_confirmed bigint DEFAULT 0, p_bookings_cancelled bigint DEFAULT 0, p_tickets_sold bigint DEFAULT 0,
                p_tickets_checked_in bigint DEFAULT 0, p_gross_revenue numeric DEFAULT 0, p_refunded_amount numeric DEFAULT 0) RETURNS void
                LANGUAGE plpgsql
            AS $$
            BEGIN
                INSERT INTO ticketing.event_summary_shard AS s (event_id, shard, seats_total, seats_available, seats_reserved, seats_booked,
                       seats_blocked, bookings_pending, bookings_confirmed, bookings_cancelled, tickets_sold, tickets_checked_in,
                       gross_revenue, refunded_amount)
                VALUES (p_event_id, pg_backend_pid() % 16, p_seats_total, p_seats_available, p_seats_reserved, p_seats_booked,
                        p_seats_blocked, p_bookings_pending, p_bookings_confirmed, p_bookings_cancelled, p_tickets_sold,
                        p_tickets_checked_in, p_gross_revenue, p_refunded_amount)
                ON CONFLICT (event_id, shard) DO UPDATE
                   SET seats_total        = s.seats_total + excluded.seats_total,
                       seats_available    = s.seats_available + excluded.seats_available,
                       seats_reserved     = s.seats_reserved + excluded.seats_reserved,
                       seats_booked       = s.seats_booked + excluded.seats_booked,
                       seats_blocked      = s.seats_blocked + excluded.seats_blocked,
                       bookings_pending   = s.bookings_pending + excluded.bookings_pending,
                       bookings_confirmed = s.bookings_confirmed + excluded.bookings_confirmed,
                       bookings_cancelled = s.bookings_cancelled + excluded.bookings_cancelled,
                       tickets_sold       = s.tickets_sold + excluded.tickets_sold,
                       tickets_checked_in = s.tickets_checked_in + excluded.tickets_checked_in,
                       gross_revenue      = s.gross_revenue + excluded.gross_revenue,
                       refunded_amount    = s.refunded_amount + excluded.refunded_amount,
                       updated_at         = now();
            END
            $$;
            """;

    /** Counts after the runs: confirmed bookings, tickets, seats sold twice, and (with triggers) summary drift. */
    private static String check(LocalPostgres server, Setup setup) throws SQLException {
        try (Connection c = Bench.connect(server, setup.database())) {
            long bookings = Bench.count(c, "SELECT count(*) FROM ticketing.booking WHERE status = 'CONFIRMED'");
            long tickets = Bench.count(c, "SELECT count(*) FROM ticketing.ticket WHERE status = 'VALID'");
            long booked = Bench.count(c, "SELECT count(*) FROM ticketing.seat WHERE status = 'BOOKED'");
            long twice = Bench.count(c, """
                    SELECT count(*) FROM (SELECT seat_id FROM ticketing.ticket WHERE status IN ('VALID', 'USED')
                                          GROUP BY event_id, seat_id HAVING count(*) > 1) d""");
            String drift = switch (setup.variant()) {
                case TRIGGERS -> Bench.count(c, "SELECT count(*) FROM ticketing.event_summary_drift") + " events whose summary differs from a recount";
                case SHARDED -> "sum of the shards " + (Bench.count(c, """
                        SELECT count(*) FROM (SELECT sum(seats_booked) AS booked, sum(seats_available) AS available,
                                                     sum(bookings_confirmed) AS confirmed, sum(tickets_sold) AS sold
                                                FROM ticketing.event_summary_shard) s
                         WHERE (booked, available, confirmed, sold) = (
                               (SELECT count(*) FROM ticketing.seat WHERE status = 'BOOKED'),
                               (SELECT count(*) FROM ticketing.seat WHERE status = 'AVAILABLE'),
                               (SELECT count(*) FROM ticketing.booking WHERE status = 'CONFIRMED'),
                               (SELECT count(*) FROM ticketing.ticket WHERE status IN ('VALID', 'USED')))""") == 1
                        ? "equals" : "DIFFERS FROM") + " a recount (seats booked and available, bookings confirmed, tickets sold), "
                        + Bench.count(c, "SELECT count(*) FROM ticketing.event_summary_shard") + " shard rows";
                default -> "summary not maintained (by design of this variant)";
            };
            return "%d confirmed bookings, %d tickets, %d seats BOOKED, %d seats ticketed twice; %s".formatted(bookings, tickets, booked, twice, drift);
        }
    }

    private static String document(String machine, String command, int threads, int pool, int seconds, int runs, int warmUp, int seats,
                                   List<RunResult> results, Map<Variant, String> checks) {
        StringBuilder doc = new StringBuilder();
        doc.append("## Hot event: summary triggers vs none vs sharded counters\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server settings: ").append(Bench.settings()).append(".\n\n");
        doc.append("""
                One published event with %,d seats; %d client threads, each its own customer, book through the domain's
                use cases and the MyBatis adapter (the API's code path without HTTP): `openCheckout` for 1–2 seats (taken
                from a shuffled queue, so no two clients want the same seat), then `applyPaymentResult(SUCCEEDED)`
                (booking, booked seats, seats BOOKED, tickets). Connection pool: %d (the application's default,
                `ConnectionPool.DEFAULT_SIZE`, is %d on this machine). Each variant has its own fresh database on the same
                server; after a %d s warm-up each, %d runs of %d s per variant, in rotating order (the noise of this machine
                drifts over minutes, so each run's three measurements are adjacent in time and ratios are also taken run by run). Latency = checkout + payment,
                as one client sees it (including the wait for a pooled connection).

                - **triggers**: the schema as shipped.
                - **no-triggers**: `ALTER TABLE … DISABLE TRIGGER` for the `event_summary_on_*` triggers of seat, booking
                  and ticket.
                - **no-summary-lock**: triggers disabled and the event's `event_summary` row deleted: the adapter still
                  runs `SELECT 1 FROM ticketing.event_summary WHERE event_id = ? FOR UPDATE` before locking seats
                  (SeatPersistenceAdapter.transitionSeats, commit 54a4b18), which otherwise serializes every seat-changing
                  transaction of the event whether the triggers run or not; without the row it locks nothing.
                - **sharded (prototype)**: the triggers on, but `event_summary_add` (which every summary trigger calls)
                  replaced in that database by one adding to row `pg_backend_pid() %% 16` of a table
                  `event_summary_shard (event_id, shard, counters…)`; the event's summary row moved to shard 0, so the
                  adapter's lock finds nothing (the real design would lock the transaction's own shard first; here no
                  two clients want the same seat, so no lock-order cycle can form). Reads would sum the 16 rows.

                """.formatted(seats, threads, pool, ConnectionPool.DEFAULT_SIZE, warmUp, runs, seconds));
        List<List<String>> rows = new ArrayList<>();
        Map<Variant, double[]> medians = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            List<RunResult> mine = results.stream().filter(r -> r.variant() == v).toList();
            double tput = Bench.median(mine.stream().map(RunResult::perSecond).toList());
            double p50 = Bench.median(mine.stream().map(RunResult::p50).toList());
            double p99 = Bench.median(mine.stream().map(RunResult::p99).toList());
            medians.put(v, new double[]{tput, p50, p99});
            String each = String.join(", ", mine.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.perSecond())).toList());
            long failures = mine.stream().mapToLong(RunResult::failures).sum();
            rows.add(List.of(v.label, v.description, String.format(Locale.ROOT, "**%.1f**", tput), each, Bench.ms(p50), Bench.ms(p99),
                    Long.toString(failures)));
        }
        doc.append(Bench.table(List.of("variant", "what", "bookings/s (median)", "each run", "p50 latency", "p99 latency", "failed"), rows));
        double[] on = medians.get(Variant.TRIGGERS);
        double[] off = medians.get(Variant.NO_TRIGGERS);
        double[] free = medians.get(Variant.NO_SUMMARY_LOCK);
        double[] sharded = medians.get(Variant.SHARDED);
        List<Double> offRatios = new ArrayList<>();
        List<Double> freeRatios = new ArrayList<>();
        List<Double> shardedRatios = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            int r = run;
            double t = results.stream().filter(x -> x.run() == r && x.variant() == Variant.TRIGGERS).findFirst().orElseThrow().perSecond();
            offRatios.add(results.stream().filter(x -> x.run() == r && x.variant() == Variant.NO_TRIGGERS).findFirst().orElseThrow().perSecond() / t);
            freeRatios.add(results.stream().filter(x -> x.run() == r && x.variant() == Variant.NO_SUMMARY_LOCK).findFirst().orElseThrow().perSecond() / t);
            shardedRatios.add(results.stream().filter(x -> x.run() == r && x.variant() == Variant.SHARDED).findFirst().orElseThrow().perSecond() / t);
        }
        doc.append(String.format(Locale.ROOT, """

                Ratios of the medians: throughput no-triggers / triggers = **%s**, no-summary-lock / triggers = **%s**;
                p99 latency triggers / no-triggers = **%s**, triggers / no-summary-lock = **%s**.
                Run by run, throughput no-triggers / triggers: %s (median %s); no-summary-lock / triggers: %s (median %s).
                Sharded-counter prototype: throughput sharded / triggers = **%s** (run by run %s, median %s);
                p99 latency triggers / sharded = **%s**.

                After the runs (warm-up bookings included): %s
                """, Bench.ratio(off[0] / on[0]), Bench.ratio(free[0] / on[0]), Bench.ratio(on[2] / off[2]), Bench.ratio(on[2] / free[2]),
                String.join(", ", offRatios.stream().map(Bench::ratio).toList()), Bench.ratio(Bench.median(offRatios)),
                String.join(", ", freeRatios.stream().map(Bench::ratio).toList()), Bench.ratio(Bench.median(freeRatios)),
                Bench.ratio(sharded[0] / on[0]), String.join(", ", shardedRatios.stream().map(Bench::ratio).toList()),
                Bench.ratio(Bench.median(shardedRatios)), Bench.ratio(on[2] / sharded[2]),
                String.join("; ", checks.entrySet().stream().map(e -> e.getKey().label + ": " + e.getValue()).toList())));
        return doc.toString();
    }
}
