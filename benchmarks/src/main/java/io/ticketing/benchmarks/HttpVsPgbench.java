package io.ticketing.benchmarks;

import io.ticketing.benchmarks.HttpVsPgbenchReport.Run;
import io.ticketing.benchmarks.HttpVsPgbenchReport.Settings;
import io.ticketing.benchmarks.HttpVsPgbenchReport.Side;
import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.persistence.mybatis.ConnectionPool;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code http-vs-pgbench}: booking throughput through the whole stack (HTTP, JSON, authentication,
 * idempotency, the domain, MyBatis, the connection pool) against pgbench sending the same SQL in the
 * same transactions straight to the same database: the ratio is what the stack costs on top of the
 * database's own limit.
 * <ul>
 *   <li><b>HTTP</b>: the real API served in this process ({@link InProcessApi}, the application's
 *       default pool); {@code --clients} threads, each its own customer, each booking 1–2 seats taken
 *       from a shared shuffled queue (no two clients want the same seat): {@code POST /payment-sessions}
 *       with an Idempotency-Key, then a signed {@code succeeded} webhook with the checkout's amount.
 *       Latency = both calls.</li>
 *   <li><b>pgbench</b>: {@code pgbench/booking.sql}, the statements PostgreSQL receives for one such
 *       booking (see {@link SqlTrace}), with {@code -c} = the HTTP clients, and again with {@code -c} =
 *       the API's pool size, since the API funnels its clients into that many connections.</li>
 *   <li><b>pgbench, before</b>: {@code pgbench/booking-before.sql}, the same booking as the API sent it
 *       before a request became one transaction (the reference), with {@code -c} = the HTTP clients.</li>
 * </ul>
 * Each round books on a new published event (created through the API) and runs the three sides one
 * after the other, in rotating order, after a warm-up of each. Afterwards SQL checks that no seat was
 * sold twice and that the event summaries equal a recount.
 */
public final class HttpVsPgbench {

    private static final String USAGE = "http-vs-pgbench [--clients 16] [--pool " + ConnectionPool.DEFAULT_SIZE
            + "] [--seconds 10] [--rounds 5] [--warm-up-seconds 10] [--http-warm-up-seconds 60] [--seats 100000]"
            + "   or   http-vs-pgbench --show-sql";
    private static final String DATABASE = "http_vs_pgbench";
    private static final int SEATS_PER_ROW = 100;
    /** The JVM's JIT compilers: their time during an HTTP run says whether the stack was still warming up. */
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    /** The HTTP side is warm when the JIT compilers were busy for less than this share of a run. */
    static final double SETTLED = 0.1;
    private static final Duration MAX_EXTRA_WARM_UP = Duration.ofMinutes(4);

    private HttpVsPgbench() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--show-sql")) {
            SqlTrace.print();
            return;
        }
        Map<String, String> options = Bench.options(args, USAGE, "clients", "pool", "seconds", "rounds", "warm-up-seconds",
                "http-warm-up-seconds", "seats");
        Settings settings = new Settings(Integer.parseInt(options.getOrDefault("clients", "16")),
                Integer.parseInt(options.getOrDefault("pool", Integer.toString(ConnectionPool.DEFAULT_SIZE))),
                Integer.parseInt(options.getOrDefault("seconds", "10")), Integer.parseInt(options.getOrDefault("rounds", "5")),
                Integer.parseInt(options.getOrDefault("warm-up-seconds", "10")),
                Integer.parseInt(options.getOrDefault("http-warm-up-seconds", "60")), Integer.parseInt(options.getOrDefault("seats", "100000")));
        Pgbench.requireInstalled();
        OptionalInt checked = SqlTrace.scriptMatchesApi();
        if (checked.isEmpty()) {
            System.err.println("pgbench/booking.sql no longer matches what the API sends (see above): update it; "
                    + "benchmarks/run http-vs-pgbench --show-sql prints both");
            System.exit(1);
        }
        String command = Bench.command("benchmarks/run http-vs-pgbench " + String.join(" ", args));

        try (LocalPostgres server = Bench.startServer();
             InProcessApi api = InProcessApi.start(server, DATABASE, 1, settings.pool(), Path.of("benchmarks/target/http-vs-pgbench-access.log"));
             Connection connection = Bench.connect(server, DATABASE)) {
            String machine = Bench.machineLine(connection);
            System.out.println(machine);
            Pgbench.install(connection);
            Pgbench pgbench = new Pgbench(server.port(), DATABASE, Pgbench.CURRENT);
            Pgbench before = new Pgbench(server.port(), DATABASE, Pgbench.BEFORE);
            try {
                List<Side> sides = new ArrayList<>(List.of(Side.values()));
                if (settings.pool() == settings.clients()) {
                    sides.remove(Side.PGBENCH_POOL);
                }
                String warmUpEvent = newEvent(api, connection, 0, settings.seats());
                int httpWarmedSeconds = 0;
                for (Side side : sides) { // JIT, caches, prepared statements, the customers registered
                    if (side == Side.HTTP) {
                        httpWarmedSeconds = warmUpHttp(warmUpEvent, settings, api, connection);
                    } else {
                        run(side, 0, warmUpEvent, settings.warmUp(), settings, api, connection, side == Side.PGBENCH_BEFORE ? before : pgbench);
                    }
                }
                List<Run> runs = new ArrayList<>();
                for (int round = 1; round <= settings.rounds(); round++) {
                    String eventId = newEvent(api, connection, round, settings.seats());
                    List<Side> order = new ArrayList<>(sides);
                    Collections.rotate(order, round - 1);
                    for (Side side : order) {
                        runs.add(run(side, round, eventId, settings.seconds(), settings, api, connection,
                                side == Side.PGBENCH_BEFORE ? before : pgbench));
                    }
                }
                String checks = HttpVsPgbenchReport.checks(connection);
                System.out.println(checks);
                String doc = HttpVsPgbenchReport.document(machine, command, settings, httpWarmedSeconds, sides, runs, checks,
                        checked.getAsInt(), Bench.count(connection, "SELECT count(*) FROM ticketing.seat"));
                System.out.println();
                System.out.println(doc);
                Bench.writeSection("http-vs-pgbench", doc);
            } finally {
                pgbench.deleteFiles();
                before.deleteFiles();
            }
        }
    }

    /**
     * The HTTP side's warm-up: {@code --http-warm-up-seconds} at least, then runs of {@code --seconds} until the JIT
     * compilers were busy for less than a tenth of one ({@link #SETTLED}), at most {@link #MAX_EXTRA_WARM_UP} more:
     * on a slow or busy machine a fixed minute left them compiling through the first measured rounds. Returns how
     * long it warmed.
     */
    private static int warmUpHttp(String eventId, Settings settings, InProcessApi api, Connection connection)
            throws SQLException, InterruptedException {
        Run last = run(Side.HTTP, 0, eventId, settings.httpWarmUp(), settings, api, connection, null);
        int warmed = settings.httpWarmUp();
        // Statistics of the tables the first run filled, as autovacuum would gather them within a minute or two: the
        // plans made while they were empty read whole indexes, and the rest of the warm-up would run at about half
        // the load of the rounds (which run on analysed tables), the JIT compilers settling at that load.
        Bench.execute(connection, "ANALYZE");
        while (last.jitMillis() > SETTLED * settings.seconds() * 1000 && warmed < settings.httpWarmUp() + MAX_EXTRA_WARM_UP.toSeconds()) {
            last = run(Side.HTTP, 0, eventId, settings.seconds(), settings, api, connection, null);
            warmed += settings.seconds();
        }
        return warmed;
    }

    /** A published event of {@code seats} seats at 50.00, made through the API (rows of 100 seats, 2,000 seats a request). */
    static String newEvent(InProcessApi api, Connection connection, int round, int seats) throws SQLException {
        long began = System.nanoTime();
        String eventId = api.client(0).publishedEvent("Round " + round, Math.max(1, seats / SEATS_PER_ROW), SEATS_PER_ROW);
        Bench.execute(connection, "ANALYZE");
        System.out.printf(Locale.ROOT, "%s: event %s with %,d seats, created through the API in %s%n",
                round == 0 ? "warm-up" : "round " + round, eventId, seats, Bench.seconds(Bench.millisSince(began)));
        return eventId;
    }

    private static Run run(Side side, int round, String eventId, int seconds, Settings settings, InProcessApi api, Connection connection,
                           Pgbench pgbench) throws SQLException, InterruptedException {
        Run run;
        if (side == Side.HTTP) {
            long compiledBefore = JIT.getTotalCompilationTime();
            run = http(api.client(0), round, eventId, freeSeats(connection, eventId), settings.clients(), Duration.ofSeconds(seconds))
                    .compiling(JIT.getTotalCompilationTime() - compiledBefore);
        } else {
            int clients = side == Side.PGBENCH_POOL ? settings.pool() : settings.clients();
            long queued = Pgbench.fillQueues(connection, eventId);
            Pgbench.Result r = pgbench.run(clients, seconds);
            if (r.problem() != null) {
                throw new IllegalStateException("pgbench -c " + clients + " (" + queued + " bookings queued): " + r.problem());
            }
            run = new Run(side, round, r.perSecond(), r.bookings(), r.failed(), r.p50(), r.p99(), r.claimMillis(), r.bookingMillis(),
                    r.slowest(), Double.NaN);
        }
        System.out.printf(Locale.ROOT, "%s %-26s %8.1f bookings/s  p50 %s  p99 %s  (%d bookings, %d failed%s)%n",
                round == 0 ? "warm-up" : "round " + round, HttpVsPgbenchReport.label(side, settings), run.perSecond(),
                Bench.ms(run.p50()), Bench.ms(run.p99()), run.bookings(), run.failed(),
                Double.isNaN(run.jitMillis()) ? "" : String.format(Locale.ROOT, "; JIT compiling %.0f ms", run.jitMillis()));
        return run;
    }

    static Queue<String> freeSeats(Connection connection, String eventId) throws SQLException {
        List<String> seats = new ArrayList<>();
        for (Object[] row : Bench.rows(connection, "SELECT id::text FROM ticketing.seat WHERE event_id = ?::uuid AND status = 'AVAILABLE'", eventId)) {
            seats.add((String) row[0]);
        }
        Collections.shuffle(seats);
        return new ConcurrentLinkedQueue<>(seats);
    }

    /** Every client books for its own customer until the time is up; latency = checkout + webhook. */
    static Run http(ApiClient api, int round, String eventId, Queue<String> seats, int clients, Duration duration)
            throws InterruptedException {
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> dry = new AtomicReference<>();
        List<List<Double>> latencies = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            List<Double> mine = new ArrayList<>();
            latencies.add(mine);
            String email = "buyer" + t + "@example.com";
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (System.nanoTime() < window[1]) {
                    List<String> wanted = new ArrayList<>();
                    for (int i = ThreadLocalRandom.current().nextInt(1, 3); i > 0; i--) {
                        String seat = seats.poll();
                        if (seat == null) {
                            dry.set("the seat queue ran dry: run with more --seats");
                            return;
                        }
                        wanted.add(seat);
                    }
                    long began = System.nanoTime();
                    try {
                        book(api, email, eventId, wanted);
                        mine.add(Bench.millisSince(began));
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() <= 3) {
                            System.out.println("HTTP booking failed: " + e.getMessage());
                        }
                    }
                }
            }, "http-buyer-" + t);
            threads.add(thread);
            thread.start();
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (dry.get() != null) {
            throw new IllegalStateException(dry.get());
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        List<Double> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        return new Run(Side.HTTP, round, all.size() / seconds, all.size(), failures.get(), Bench.median(all), Bench.percentile(all, 99),
                Double.NaN, Double.NaN, List.of(), Double.NaN);
    }

    private static void book(ApiClient api, String email, String eventId, List<String> seats) {
        ApiClient.Reply checkout = ApiClient.expect(201, api.checkout(email, eventId, seats, UUID.randomUUID().toString()));
        String sessionId = checkout.json().get("id").asText();
        String amount = checkout.json().get("amount").get("amount").asText();
        ApiClient.expect(200, api.payment("evt_" + UUID.randomUUID(), "succeeded", sessionId, amount));
    }
}
