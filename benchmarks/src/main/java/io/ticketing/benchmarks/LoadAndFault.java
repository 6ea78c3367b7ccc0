package io.ticketing.benchmarks;

import io.ticketing.benchmarks.LoadAndFaultChecker.Check;
import io.ticketing.benchmarks.LoadAndFaultFaults.Injected;
import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.schema.SchemaMigrator;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code load-and-fault} (issue 8): many simulated buyers on one event with a hot block of seats,
 * against one or two API instances running as separate processes, while the instances are killed
 * and the database connections cut; afterwards, checks that nothing was sold twice or lost.
 *
 * <p><b>Set-up.</b> One embedded PostgreSQL with its default (durable) settings, since this run is
 * about correctness, not speed; one database, migrated; {@code --instances} API processes
 * ({@code Main serve}, see {@link LoadAndFaultApi}) on it, with checkouts that expire after
 * {@value #EXPIRY_SECONDS} s and a sweeper every second; one published event of {@code --seats}
 * seats whose first {@code --hot-seats} are the hot block.
 *
 * <p><b>Load.</b> {@code --buyers} threads for {@code --seconds} ({@link LoadAndFaultBuyer}), each
 * a customer of its own: checkouts of 1–3 adjacent seats (80 % in the hot block, so most attempts
 * find their seats taken: 409), then abandoned (the sweeper must release them), cancelled, or paid
 * by signed webhooks delivered as a real provider misbehaves: in order, duplicated one after the
 * other (and again after the booking's cancellation), duplicated at the same moment to both
 * instances, {@code succeeded} before {@code processing} (the late one must be refused and change
 * nothing), failed, at the moment the checkout expires, or while the customer cancels it; some
 * paid bookings are then cancelled, sometimes with a double click. Each request is retried on no
 * answer or a 5xx, with the same Idempotency-Key or provider event id.
 *
 * <p><b>Faults</b> ({@link LoadAndFaultFaults}): {@code kill -9} of an API instance at random
 * moments, restarted 2–5 s later (one instance at a time); {@code pg_terminate_backend} of all the
 * API's database connections, several times.
 *
 * <p><b>Checks</b> ({@link LoadAndFaultChecker}), once every checkout has expired and the
 * instances have stopped: the schema's invariants in SQL (no seat sold twice or held twice, seat
 * statuses agree with their claims, event_summary equals a recount), and the end state against the
 * clients' own log: every booking a client was told succeeded exists with its seats; no booking
 * confirmed that nobody was told of; live tickets are exactly the paid seats; each webhook event
 * applied once; no checkout still holding seats; every checkout ended as its client was told.
 * And the answers: each was checked by its buyer against what that request may answer at that
 * moment, and every 500 is a violation: a cut connection or an exhausted pool must be a 503 to
 * retry (the instances' logs say what each 500 was). Prints the counts and the checks, writes section
 * {@code load-and-fault-N} of docs/benchmarks.md, and exits 1 on any violation.
 */
public final class LoadAndFault {

    private static final String USAGE = "load-and-fault [--instances 1] [--seconds 90] [--buyers 200] [--seats 5000] "
            + "[--hot-seats 300] [--seed 1 | --seeds 1,2,3,4,5]   (shorter, for development: --seconds 30 --buyers 50)";
    static final int EXPIRY_SECONDS = 20;
    private static final Duration EXPIRY = Duration.ofSeconds(EXPIRY_SECONDS);
    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final int SEATS_PER_ROW = 50;
    private static final String DATABASE = "load_and_fault";
    /** The order of the counters in the report. */
    private static final List<String> COUNT_ORDER = List.of(
            "checkout attempts",
            "checkouts opened (201)",
            "checkouts refused: seats taken (409 seats-unavailable)",
            "checkouts refused: too many open checkouts (409)",
            "checkouts given up without an answer",
            "checkouts abandoned (must expire)",
            "abandoned checkouts found EXPIRED (released by the sweeper)",
            "checkouts cancelled (200)",
            "checkout cancellations refused: expired meanwhile (409)",
            "checkout cancellations refused after an unanswered attempt (409)",
            "checkout cancellations without an answer",
            "payments: in order",
            "payments: succeeded delivered twice",
            "payments: succeeded delivered twice at once",
            "payments: succeeded before processing",
            "payments: failed",
            "payments: succeeded as the checkout expires",
            "payments at expiry: applied",
            "payments refused: checkout expired meanwhile (409)",
            "payments: succeeded racing a cancellation",
            "payment/cancellation races won by the payment",
            "payment/cancellation races won by the cancellation",
            "webhook deliveries: processing applied",
            "webhook deliveries: processing duplicate",
            "webhook deliveries: processing refused",
            "webhook deliveries: processing unknown",
            "webhook deliveries: succeeded applied",
            "webhook deliveries: succeeded duplicate",
            "webhook deliveries: succeeded refused",
            "webhook deliveries: succeeded unknown",
            "webhook deliveries: failed applied",
            "webhook deliveries: failed duplicate",
            "webhook deliveries: failed refused",
            "webhook deliveries: failed unknown",
            "duplicate deliveries sent",
            "duplicate deliveries sent after the booking was cancelled",
            "duplicate deliveries answered duplicate",
            "out-of-order deliveries sent (processing after succeeded)",
            "out-of-order deliveries refused (409 illegal-transition)",
            "bookings confirmed to their customer",
            "bookings read back after a duplicate answer",
            "bookings cancelled by their customer (200)",
            "booking cancellations double-clicked",
            "booking cancellations without a definite answer",
            "requests without an answer (retried)",
            "5xx answers (retried)",
            "409 idempotency-key-in-flight (retried)",
            "answers after a retry",
            "requests given up: key in flight for 10 s",
            "500 answers logged");

    private record Settings(int instances, int seconds, int buyers, int seats, int hotSeats, long seed) {
    }

    private LoadAndFault() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "instances", "seconds", "buyers", "seats", "hot-seats", "seed", "seeds");
        Settings settings = new Settings(
                Integer.parseInt(options.getOrDefault("instances", "1")),
                Integer.parseInt(options.getOrDefault("seconds", "90")),
                Integer.parseInt(options.getOrDefault("buyers", "200")),
                Integer.parseInt(options.getOrDefault("seats", "5000")),
                Integer.parseInt(options.getOrDefault("hot-seats", "300")),
                Long.parseLong(options.getOrDefault("seed", "1")));
        if (settings.instances() < 1 || settings.seconds() < 10 || settings.buyers() < 1
                || settings.hotSeats() < 3 || settings.seats() < settings.hotSeats() + 3) {
            System.err.println("usage: " + USAGE);
            System.exit(2);
        }
        List<Long> seeds = options.containsKey("seeds")
                ? java.util.Arrays.stream(options.get("seeds").split(",")).map(String::strip).map(Long::parseLong).toList()
                : List.of(settings.seed());
        List<Outcome> outcomes = new ArrayList<>();
        for (long seed : seeds) {
            Settings seeded = new Settings(settings.instances(), settings.seconds(), settings.buyers(), settings.seats(),
                    settings.hotSeats(), seed);
            System.out.println("=== seed " + seed + " ===");
            outcomes.add(run(seeded));
        }
        StringBuilder doc = new StringBuilder(outcomes.get(outcomes.size() - 1).report());
        doc.append(String.format(Locale.ROOT, "%nThe run above is seed %d's. Every run of this command (`--seed` picks the buyers' "
                + "choices and the faults' moments; each run prints its seed):%n%n", seeds.get(seeds.size() - 1)));
        doc.append(Bench.table(List.of("seed", "violations", "checkout attempts", "answers to keyed requests compared with the committed answer",
                        "requests without an answer (retried)", "5xx answers (retried)", "API kills", "connection cuts"),
                outcomes.stream().map(o -> List.of(Long.toString(o.seed()), Long.toString(o.violations()),
                        Long.toString(o.log().countOf("checkout attempts")),
                        Long.toString(o.log().countOf("answers to keyed requests compared with the committed answer")),
                        Long.toString(o.log().countOf("requests without an answer (retried)")),
                        Long.toString(o.log().countOf("5xx answers (retried)")),
                        Long.toString(o.kills()), Long.toString(o.cuts()))).toList()));
        Bench.writeSection("load-and-fault-" + settings.instances(), doc.toString());
        long violations = outcomes.stream().mapToLong(Outcome::violations).sum();
        System.out.println(violations == 0 ? "no violations in " + seeds.size() + " run(s)" : violations + " VIOLATIONS");
        System.exit(violations == 0 ? 0 : 1);
    }

    /** One seeded run: its violations, its report, what its clients saw and the faults it injected. */
    private record Outcome(long seed, long violations, String report, LoadAndFaultLog log, long kills, long cuts) {
    }

    private static Outcome run(Settings settings) throws Exception {
        String secret = randomHex(32);
        ApiClient caller = new ApiClient(URI.create("http://127.0.0.1:1"), "jwt-" + secret, "whsec-" + secret, "admin-" + secret);
        Random random = new Random(settings.seed());

        System.out.println("starting the embedded PostgreSQL with its default settings (durable commits)");
        try (LocalPostgres server = LocalPostgres.startTemporary(Map.of())) {
            String machine = Bench.machineLine(server);
            System.out.println(machine);
            String url = Bench.createDatabase(server, DATABASE);
            new SchemaMigrator(Bench.dataSource(server, DATABASE)).migrate();

            List<String> serve = List.of("--db-url", url, "--db-user", LocalPostgres.SUPERUSER,
                    "--jwt-secret", "jwt-" + secret, "--webhook-secret", "whsec-" + secret, "--admin-api-key", "admin-" + secret,
                    "--checkout-expiry", EXPIRY.toString(), "--sweep-every", SWEEP.toString());
            Path logs = Files.createDirectories(LoadAndFaultApi.logRoot().resolve("instances-" + settings.instances()));
            try (LoadAndFaultApi api = new LoadAndFaultApi(settings.instances(), serve, caller, logs)) {
                for (LoadAndFaultApi.Instance instance : api.instances()) {
                    api.start(instance);
                    System.out.println("API instance " + instance.number + " ready on " + instance.base + " (log: "
                            + logs.resolve("api-" + instance.number + "-start-1.log") + ")");
                }
                List<ApiClient> clients = api.bases().stream().map(caller::at).toList();
                Venue venue = createEvent(clients.get(0), url, settings);

                LoadAndFaultLog log = new LoadAndFaultLog();
                LoadAndFaultFaults faults = new LoadAndFaultFaults(api, url, LocalPostgres.SUPERUSER, DATABASE, log, random,
                        Duration.ofSeconds(settings.seconds()));
                Instant buyersDone = runLoad(settings, clients, venue, log, faults, random);
                System.out.println(log.at() + " buyers done; waiting for the last checkouts to expire");
                Duration expiryWait = awaitExpiry(url, venue.eventId(), log);
                List<String> stops = new ArrayList<>();
                for (LoadAndFaultApi.Instance instance : api.instances()) {
                    stops.add("instance " + instance.number + ": exit " + api.stopGracefully(instance));
                }
                System.out.println(log.at() + " API instances stopped (SIGTERM): " + String.join(", ", stops));

                List<Injected> injected = faults.injected();
                Map<String, Long> errorCauses = api.unexpectedErrorCauses();
                List<Check> checks;
                Map<String, Long> endState;
                try (Connection connection = checkerConnection(url)) {
                    LoadAndFaultChecker checker = new LoadAndFaultChecker(connection, venue.eventId(), log);
                    checks = checker.run(errorCauses);
                    endState = checker.endState();
                }
                long violations = checks.stream().mapToLong(Check::violations).sum();
                String report = report(settings, machine, log, injected, checks, endState, errorCauses, expiryWait, stops,
                        Duration.between(log.start, buyersDone), violations);
                System.out.println();
                System.out.println(report);
                printExamples(checks);
                System.out.println("seed " + settings.seed() + ": " + (violations == 0 ? "no violations" : violations + " VIOLATIONS"));
                return new Outcome(settings.seed(), violations, report, log,
                        injected.stream().filter(f -> f.kind() == LoadAndFaultFaults.Kind.KILL_API).count(),
                        injected.stream().filter(f -> f.kind() != LoadAndFaultFaults.Kind.KILL_API).count());
            }
        }
    }

    /** The event, its seats in order (rows, then numbers), and the hot block: the first seats. */
    private record Venue(UUID eventId, List<String> hot, List<String> cold) {
    }

    private static Venue createEvent(ApiClient admin, String url, Settings settings) throws SQLException {
        int rows = (settings.seats() + SEATS_PER_ROW - 1) / SEATS_PER_ROW;
        UUID eventId = UUID.fromString(admin.publishedEvent("Load and fault", rows, SEATS_PER_ROW));
        List<String> seats;
        try (Connection connection = checkerConnection(url)) {
            seats = Bench.rows(connection, """
                    SELECT id::text FROM ticketing.seat WHERE event_id = ? ORDER BY "row"::int, number""", eventId)
                    .stream().map(row -> (String) row[0]).toList();
        }
        System.out.printf(Locale.ROOT, "event %s: %d seats, the first %d hot; %d buyers for %d s on %d instance(s)%n",
                eventId, seats.size(), settings.hotSeats(), settings.buyers(), settings.seconds(), settings.instances());
        return new Venue(eventId, seats.subList(0, settings.hotSeats()), seats.subList(settings.hotSeats(), seats.size()));
    }

    /** The buyers and the faults until the deadline; then the flows under way finish (retries included). Returns when they have. */
    private static Instant runLoad(Settings settings, List<ApiClient> clients, Venue venue, LoadAndFaultLog log,
                                   LoadAndFaultFaults faults, Random random) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(settings.seconds()).toNanos();
        ExecutorService racingRequests = Executors.newCachedThreadPool();
        List<Thread> buyers = new ArrayList<>();
        for (int b = 0; b < settings.buyers(); b++) {
            buyers.add(new Thread(new LoadAndFaultBuyer(b, clients, venue.eventId().toString(), venue.hot(), venue.cold(), log,
                    deadline, random.nextLong(), racingRequests), "buyer-" + b));
        }
        Thread faultThread = new Thread(faults, "load-and-fault-faults");
        faultThread.start();
        buyers.forEach(Thread::start);
        progressUntil(deadline, log);

        System.out.println(log.at() + " deadline: buyers finish their flows");
        for (Thread buyer : buyers) {
            buyer.join(Duration.ofMinutes(5).toMillis());
            if (buyer.isAlive()) {
                throw new IllegalStateException(buyer.getName() + " did not finish within 5 minutes after the deadline");
            }
        }
        racingRequests.shutdown();
        faults.stop();
        faultThread.join();
        return Instant.now();
    }

    // ---- the run ------------------------------------------------------------------------------------

    private static void progressUntil(long deadline, LoadAndFaultLog log) {
        while (System.nanoTime() < deadline) {
            LoadAndFaultApi.sleep(Math.min(10_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            System.out.printf(Locale.ROOT, "%s checkouts %d opened of %d attempts, bookings confirmed %d, no answer %d, 5xx %d, unexpected %d%n",
                    log.at(), log.countOf("checkouts opened (201)"), log.countOf("checkout attempts"),
                    log.countOf("bookings confirmed to their customer"), log.countOf("requests without an answer (retried)"),
                    log.countOf("5xx answers (retried)"), log.unexpected.size());
        }
    }

    /** Waits until the sweepers have expired every open checkout (they expire at most {@link #EXPIRY} after opening). */
    private static Duration awaitExpiry(String url, UUID eventId, LoadAndFaultLog log) throws SQLException {
        Instant start = Instant.now();
        Instant lastExpiry = log.checkouts.stream().map(c -> c.expiresAt).max(Instant::compareTo).orElse(start);
        Instant giveUp = Instant.now().plus(EXPIRY).plusSeconds(60);
        try (Connection connection = checkerConnection(url)) {
            while (Instant.now().isBefore(giveUp)) {
                long open = Bench.count(connection,
                        "SELECT count(*) FROM ticketing.payment_session WHERE event_id = ? AND status = 'OPEN'", eventId);
                if (open == 0 && Instant.now().isAfter(lastExpiry.plus(SWEEP))) {
                    break;
                }
                LoadAndFaultApi.sleep(500);
            }
        }
        return Duration.between(start, Instant.now());
    }

    private static Connection checkerConnection(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", LocalPostgres.SUPERUSER);
        properties.setProperty("password", "");
        // Not the API pool's application_name: the fault injector never terminates this connection.
        properties.setProperty("ApplicationName", "load-and-fault-checker");
        return DriverManager.getConnection(url, properties);
    }

    // ---- the report ---------------------------------------------------------------------------------

    private static String report(Settings settings, String machine, LoadAndFaultLog log, List<Injected> faults, List<Check> checks,
                                 Map<String, Long> endState, Map<String, Long> errorCauses, Duration expiryWait,
                                 List<String> stops, Duration loadTime,
                                 long violations) {
        StringBuilder doc = new StringBuilder();
        doc.append("## Load and fault test, ").append(settings.instances()).append(settings.instances() == 1 ? " API instance" : " API instances")
                .append(" (issue 8)\n\n```\n").append(Bench.command("benchmarks/run load-and-fault --instances " + settings.instances()))
                .append("\n```\n\n");
        doc.append(machine).append(". Server settings: PostgreSQL's defaults (durable commits), since this run is about correctness.\n\n");
        doc.append(String.format(Locale.ROOT, """
                %d buyers (each a customer of its own) for %d s on one event of %,d seats, the first %d of them a hot block \
                that 80 %% of the checkouts aim at; %d API %s (`Main serve`, separate processes, checkouts expire after %d s, \
                sweeper every %d s), each request to a random instance, retried with the same Idempotency-Key or provider \
                event id when it gets no answer or a 5xx (failing over when there are two instances). A buyer opens a \
                checkout of 1–3 adjacent seats and abandons it (15 %%), cancels it (10 %%) or pays it (75 %%) by signed \
                webhooks: in order; `succeeded` delivered twice (and once more after the booking's cancellation); \
                delivered twice at once, to both instances; `succeeded` before `processing`; `failed`; `succeeded` \
                within 1.5 s of the checkout's expiry (racing the sweeper); `succeeded` while the customer cancels the \
                checkout. 20 %% of the paid bookings are then cancelled, 30 %% of those with a double click (two \
                requests at once, to both instances). Load ran %.0f s (flows under way at the \
                deadline finish); then %.0f s until every checkout had expired; then the instances were stopped with \
                SIGTERM (%s) and the checks ran. Every 5xx is retried; a 503 (database unavailable, retry later) is a \
                legitimate answer while connections are cut, a 500 is a violation.
                """, settings.buyers(), settings.seconds(), settings.seats(), settings.hotSeats(), settings.instances(),
                settings.instances() == 1 ? "instance" : "instances", EXPIRY.toSeconds(), SWEEP.toSeconds(),
                loadTime.toMillis() / 1000.0, expiryWait.toMillis() / 1000.0, String.join(", ", stops)));

        doc.append("\nFaults injected:\n\n");
        List<List<String>> faultRows = new ArrayList<>();
        for (Injected fault : faults) {
            faultRows.add(List.of(log.at(fault.at()), fault.kind() == LoadAndFaultFaults.Kind.KILL_API ? "API killed" : "DB connections cut",
                    fault.detail()));
        }
        doc.append(Bench.table(List.of("at", "fault", "what happened"), faultRows));

        doc.append("\nWhat the clients did and were told:\n\n");
        List<List<String>> countRows = new ArrayList<>();
        List<Map.Entry<String, Long>> counts = new ArrayList<>(log.counts());
        // The story of a checkout first, then the retries; counters not listed keep their order, after.
        counts.sort(Comparator.comparingInt(entry -> {
            int position = COUNT_ORDER.indexOf(entry.getKey());
            return position < 0 ? COUNT_ORDER.size() : position;
        }));
        counts.forEach(entry -> countRows.add(List.of(entry.getKey(), String.format(Locale.ROOT, "%,d", entry.getValue()))));
        doc.append(Bench.table(List.of("count", "n"), countRows));

        doc.append("\nLatency of answered requests (retries count separately; includes the time of faults):\n\n");
        List<List<String>> latencyRows = new ArrayList<>();
        for (var entry : log.latencies()) {
            List<Double> values = entry.getValue();
            latencyRows.add(List.of("`" + entry.getKey() + "`", String.format(Locale.ROOT, "%,d", values.size()),
                    Bench.ms(Bench.percentile(values, 50)), Bench.ms(Bench.percentile(values, 99)), Bench.ms(Bench.percentile(values, 100))));
        }
        doc.append(Bench.table(List.of("request", "answers", "p50", "p99", "max"), latencyRows));

        doc.append("\nWhat the 500s were (the causes in the instances' logs of their \"unexpected error\" lines): ");
        List<String> causes = new ArrayList<>();
        errorCauses.forEach((cause, n) -> causes.add(n + " × `" + cause + "`"));
        doc.append(causes.isEmpty() ? "none" : String.join("; ", causes)).append(".\n");

        doc.append("\nEnd state: ");
        List<String> state = new ArrayList<>();
        endState.forEach((name, n) -> state.add(name + " " + String.format(Locale.ROOT, "%,d", n)));
        doc.append(String.join(", ", state)).append(".\n\n");

        doc.append("Checks (each counts violations; SQL: `SchemaInvariants`, the same queries as the persistence tests):\n\n");
        List<List<String>> checkRows = new ArrayList<>();
        for (Check check : checks) {
            checkRows.add(List.of(check.name(), check.violations() == 0 ? "0" : "**" + check.violations() + "**"));
        }
        doc.append(Bench.table(List.of("check", "violations"), checkRows));
        for (Check check : checks) {
            if (check.violations() > 0) {
                doc.append("\nViolated: ").append(check.name()).append(" (").append(check.violations()).append("), for example:\n\n");
                check.examples().forEach(example -> doc.append("- `").append(example.replace("`", "'")).append("`\n"));
            }
        }
        doc.append("\n").append(violations == 0 ? "**Result: no violations** (exit 0)." : "**Result: " + violations + " violations** (exit 1).")
                .append("\n");
        return doc.toString();
    }

    private static void printExamples(List<Check> checks) {
        for (Check check : checks) {
            if (check.violations() > 0) {
                System.out.println("VIOLATED: " + check.name() + " (" + check.violations() + ")");
                check.examples().forEach(example -> System.out.println("    " + example));
            }
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
