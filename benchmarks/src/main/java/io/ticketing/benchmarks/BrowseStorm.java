package io.ticketing.benchmarks;

import io.ticketing.benchmarks.ApiClient.Reply;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.testsupport.StreamingReplica;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code browse-storm}: an on-sale. Buyers book seats of one event through the HTTP API while many more clients
 * read that event's seat map as fast as they can, once with every read on the primary and once with the seat
 * map read from a streaming replica ({@code serve --db-read-url}), side by side in one run: a primary and a
 * replica (embedded PostgreSQL 17, {@link StreamingReplica}), two API instances in this process on the same
 * primary database, the second with the replica. Each phase books on a new event; the phases alternate.
 */
public final class BrowseStorm {

    private static final String USAGE = "browse-storm [--buyers 16] [--browsers 200] [--seconds 20] [--runs 2] "
            + "[--warm-up-seconds 10] [--seats 2000]";
    private static final Pattern READS = Pattern.compile("ticketing_replica_reads_total\\{served_by=\"(replica|primary|none)\",?} ([0-9.E+]+)");
    /** Two servers share the machine: caches of a quarter of the shipped benchmark setting each, the rest as every benchmark. */
    private static final Map<String, String> SETTINGS = serverSettings();

    enum Mode {
        PRIMARY_ONLY("every read on the primary", 0),
        WITH_REPLICA("seat map from the replica", 1);

        final String label;
        final int instance;

        Mode(String label, int instance) {
            this.label = label;
            this.instance = instance;
        }
    }

    record Phase(Mode mode, int run, double seconds, long bookings, long bookingFailures, double bookingP50, double bookingP99,
                 long browses, long browseFailures, double browseP50, double browseP99, double replicaShare,
                 double offPrimaryShare, long refusedSaturated, boolean soldOut) {
        double bookingsPerSecond() {
            return bookings / seconds;
        }

        double browsesPerSecond() {
            return browses / seconds;
        }
    }

    private BrowseStorm() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "buyers", "browsers", "seconds", "runs", "warm-up-seconds", "seats");
        int buyers = Integer.parseInt(options.getOrDefault("buyers", "16"));
        int browsers = Integer.parseInt(options.getOrDefault("browsers", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "2"));
        int warmUp = Integer.parseInt(options.getOrDefault("warm-up-seconds", "10"));
        int seats = Integer.parseInt(options.getOrDefault("seats", "2000"));
        String command = Bench.command("benchmarks/run browse-storm " + String.join(" ", args));

        System.out.println("starting a primary and a streaming replica (embedded) with " + SETTINGS);
        try (StreamingReplica servers = StreamingReplica.start(SETTINGS);
             InProcessApi api = InProcessApi.startWithAndWithoutReplica(servers, "browse_storm", ConnectionPool.DEFAULT_SIZE,
                     Duration.ofSeconds(5), Path.of("target", "browse-storm-access.log").toAbsolutePath())) {
            String machine;
            try (Connection connection = DriverManager.getConnection(servers.primaryUrl("postgres"), servers.user(), servers.password())) {
                machine = Bench.machineLine(connection, "embedded primary and embedded streaming replica on this machine");
            }
            System.out.println(machine);
            int event = 0;
            for (Mode mode : Mode.values()) { // warm-up: JIT, caches, both pools
                measure(servers, api, mode, 0, ++event, buyers, browsers, seats, Duration.ofSeconds(warmUp));
            }
            List<Phase> phases = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                List<Mode> order = new ArrayList<>(List.of(Mode.values()));
                Collections.rotate(order, run - 1);
                for (Mode mode : order) {
                    Phase phase = measure(servers, api, mode, run, ++event, buyers, browsers, seats, Duration.ofSeconds(seconds));
                    System.out.printf(Locale.ROOT, "run %d %-26s bookings %6.1f/s p99 %s | seat maps %7.1f/s p99 %s | from the replica %5.1f%% off the primary %5.1f%%%s%n",
                            run, mode.label, phase.bookingsPerSecond(), Bench.ms(phase.bookingP99()), phase.browsesPerSecond(),
                            Bench.ms(phase.browseP99()), 100 * phase.replicaShare(), 100 * phase.offPrimaryShare(), phase.soldOut() ? " (a buyer ran out of seats)" : "");
                    phases.add(phase);
                }
            }
            String report = report(machine, command, buyers, browsers, seconds, runs, warmUp, seats, phases);
            System.out.println(report);
            Bench.writeSection("browse-storm", report);
        }
    }

    private static Map<String, String> serverSettings() {
        Map<String, String> settings = new HashMap<>(Bench.SERVER_SETTINGS);
        settings.put("shared_buffers", "512MB");
        return Map.copyOf(settings);
    }

    /**
     * One phase: a new event of {@code seats} seats, replayed by the replica; {@code buyers} threads book 1 or 2 seats
     * each (seats no other buyer wants), {@code browsers} threads read the seat map, all through {@code mode}'s instance.
     */
    private static Phase measure(StreamingReplica servers, InProcessApi api, Mode mode, int run, int event, int buyers,
                                 int browsers, int seats, Duration length) throws Exception {
        ApiClient client = api.client(mode.instance);
        String eventId = api.client(0).publishedEvent("Browse storm " + event, seats / 100, 100);
        List<String> seatIds = new ArrayList<>();
        ApiClient.expect(200, client.seatMap(eventId, client.admin(), seat -> seatIds.add(seat.get("id").asText())));
        servers.awaitReplayed();
        Map<String, Double> readsBefore = reads(client);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean soldOut = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(buyers + browsers);
        List<Future<Tally>> buying = new ArrayList<>();
        List<Future<Tally>> browsing = new ArrayList<>();
        long started = System.nanoTime();
        for (int b = 0; b < buyers; b++) {
            List<String> mine = new ArrayList<>();
            for (int s = b; s < seatIds.size(); s += buyers) {
                mine.add(seatIds.get(s));
            }
            String email = "buyer" + b + "-event" + event + "@example.com";
            buying.add(threads.submit(() -> buy(client, email, eventId, mine, stop, soldOut)));
        }
        for (int b = 0; b < browsers; b++) {
            browsing.add(threads.submit(() -> browse(client, eventId, stop)));
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        Tally bookings = Tally.sum(buying);
        Tally browses = Tally.sum(browsing);
        double elapsed = Bench.millisSince(started) / 1000;
        threads.shutdown();

        Map<String, Double> readsAfter = reads(client);
        double byReplica = readsAfter.getOrDefault("replica", 0.0) - readsBefore.getOrDefault("replica", 0.0);
        double byPrimary = readsAfter.getOrDefault("primary", 0.0) - readsBefore.getOrDefault("primary", 0.0);
        double refused = readsAfter.getOrDefault("none", 0.0) - readsBefore.getOrDefault("none", 0.0);
        // Of every read that may lag, the share the replica answered (a refused one is not answered at all).
        double all = byReplica + byPrimary + refused;
        double share = all == 0 ? 0 : byReplica / all;
        double offPrimary = all == 0 ? 0 : (byReplica + refused) / all;
        return new Phase(mode, run, elapsed, bookings.done, bookings.failed, Bench.percentile(bookings.millis, 50),
                Bench.percentile(bookings.millis, 99), browses.done, browses.failed, Bench.percentile(browses.millis, 50),
                Bench.percentile(browses.millis, 99), share, offPrimary, Math.round(refused), soldOut.get());
    }

    /** What one kind of client did: requests (or bookings) done, failed, and the latency of each one done. */
    private static final class Tally {
        long done;
        long failed;
        final List<Double> millis = new ArrayList<>();

        /** Runs one attempt; its latency counts if it succeeded, a failure or an exception counts as failed. */
        void time(BooleanSupplier attempt) {
            long started = System.nanoTime();
            boolean succeeded;
            try {
                succeeded = attempt.getAsBoolean();
            } catch (RuntimeException e) {
                succeeded = false;
            }
            if (succeeded) {
                done++;
                millis.add(Bench.millisSince(started));
            } else {
                failed++;
            }
        }

        static Tally sum(List<Future<Tally>> futures) throws Exception {
            Tally sum = new Tally();
            for (Future<Tally> future : futures) {
                Tally one = future.get();
                sum.done += one.done;
                sum.failed += one.failed;
                sum.millis.addAll(one.millis);
            }
            return sum;
        }
    }

    /** Books 1 or 2 of {@code seats} at a time (checkout, then the provider's succeeded webhook) until told to stop. */
    private static Tally buy(ApiClient client, String email, String eventId, List<String> seats, AtomicBoolean stop,
                             AtomicBoolean soldOut) {
        Tally tally = new Tally();
        int next = 0;
        for (int booking = 0; !stop.get(); booking++) {
            int take = 1 + booking % 2;
            if (next + take > seats.size()) {
                soldOut.set(true);
                break;
            }
            List<String> pick = seats.subList(next, next + take);
            next += take;
            String idempotencyKey = email + "-" + booking;
            tally.time(() -> bookOnce(client, email, eventId, pick, idempotencyKey));
        }
        return tally;
    }

    /** Checkout, then the provider's succeeded webhook: whether both went through. */
    private static boolean bookOnce(ApiClient client, String email, String eventId, List<String> seats, String idempotencyKey) {
        Reply checkout = client.checkout(email, eventId, seats, idempotencyKey);
        if (checkout.status() != 201) {
            return false;
        }
        String sessionId = checkout.json().get("id").asText();
        String amount = checkout.json().get("amount").get("amount").asText();
        return client.payment("evt-" + sessionId, "succeeded", sessionId, amount).status() == 200;
    }

    /** Reads the event's whole seat map (all its pages), anonymously, as fast as it answers, until told to stop. */
    private static Tally browse(ApiClient client, String eventId, AtomicBoolean stop) {
        Tally tally = new Tally();
        while (!stop.get()) {
            tally.time(() -> client.seatMap(eventId, Map.of(), seat -> { }).status() == 200);
        }
        return tally;
    }

    /** The instance's count of reads that may lag, by the server that answered them (none without a replica). */
    private static Map<String, Double> reads(ApiClient client) {
        Matcher matcher = READS.matcher(client.get("/metrics", Map.of()).body());
        Map<String, Double> reads = new HashMap<>();
        while (matcher.find()) {
            reads.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return reads;
    }

    private static String report(String machine, String command, int buyers, int browsers, int seconds, int runs, int warmUp,
                                 int seats, List<Phase> phases) {
        StringBuilder out = new StringBuilder();
        out.append("## Browse storm: booking while the seat map is read, with and without a read replica\n\n");
        out.append("```\n").append(command).append("\n```\n\n");
        out.append(machine).append(". Both servers: ").append(new java.util.TreeMap<>(SETTINGS).toString()
                .replace("{", "").replace("}", "")).append(".\n\n");
        out.append("""
                A primary and a hot standby streaming from it (embedded PostgreSQL 17, made by `StreamingReplica`: a base
                backup taken with `pg_backup_start`/`pg_backup_stop` and a replication slot), and two API instances in
                the benchmark's process on the same primary database, each with a pool of %d connections
                (`ConnectionPool.DEFAULT_SIZE` here): one as `serve` runs without `--db-read-url` (every read on the
                primary), one with the replica as its read replica (`--max-replica-lag 5s`; its replica pool is another
                %d connections). **All of it shares this machine's %d cores: the primary, the replica, the API
                instances and the %d client threads.** A replica on a machine of its own would also take the seat map's
                CPU off the primary's machine; here it cannot, so the gain measured here is a lower bound.

                Each phase books on a new published event of %,d seats at 50.00 (replayed by the replica before the
                phase starts) through one instance: %d buyers, each on seats no other buyer wants, book 1 or 2 seats at a
                time (`POST /payment-sessions`, then the provider's signed `succeeded` webhook; latency = both calls),
                while %d clients read the event's whole seat map (`GET /events/{id}/seats`, anonymous, following `nextAfter` in
                pages of 1,000 seats) back to back. After a
                %d s warm-up of each instance, %d run(s) of %d s per instance, in rotating order. Throughput = completed
                bookings (seat maps) / phase time; percentiles over all of a phase's bookings (seat maps). The replica's
                share is the instance's `ticketing_replica_reads_total` by `served_by` over the phase: reads it answered, of
                all reads that may lag; a read that waited 5 s while every replica connection served others, the replica
                well, is refused (503, `served_by="none"`), not sent to the primary, and counts among the failed; reads off
                the primary = those the replica answered or refused, of all.

                """.formatted(ConnectionPool.DEFAULT_SIZE, ConnectionPool.DEFAULT_SIZE, Bench.cores(), buyers + browsers,
                seats, buyers, browsers, warmUp, runs, seconds));
        List<List<String>> rows = new ArrayList<>();
        for (Phase p : phases) {
            rows.add(List.of(Integer.toString(p.run()), p.mode().label,
                    String.format(Locale.ROOT, "%.1f", p.bookingsPerSecond()), Bench.ms(p.bookingP50()), Bench.ms(p.bookingP99()),
                    Long.toString(p.bookingFailures()) + (p.soldOut() ? " (ran out of seats)" : ""),
                    String.format(Locale.ROOT, "%.1f", p.browsesPerSecond()), Bench.ms(p.browseP50()), Bench.ms(p.browseP99()),
                    p.mode() == Mode.PRIMARY_ONLY ? Long.toString(p.browseFailures())
                            : p.browseFailures() + " (" + p.refusedSaturated() + " refused: replica saturated)",
                    p.mode() == Mode.PRIMARY_ONLY ? "0 % (no replica)" : String.format(Locale.ROOT, "%.1f %%", 100 * p.replicaShare()),
                    p.mode() == Mode.PRIMARY_ONLY ? "0 %" : String.format(Locale.ROOT, "%.1f %%", 100 * p.offPrimaryShare())));
        }
        out.append(Bench.table(List.of("run", "instance", "bookings/s", "booking p50", "booking p99", "bookings failed",
                "seat maps/s", "seat map p50", "seat map p99", "seat maps failed", "seat maps from the replica",
                "seat map reads off the primary"), rows));
        out.append("\n");
        List<List<String>> summary = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            List<Phase> of = phases.stream().filter(p -> p.mode() == mode).toList();
            summary.add(List.of(mode.label,
                    String.format(Locale.ROOT, "**%.1f**", Bench.median(of.stream().map(Phase::bookingsPerSecond).toList())),
                    Bench.ms(Bench.median(of.stream().map(Phase::bookingP99).toList())),
                    String.format(Locale.ROOT, "%.1f", Bench.median(of.stream().map(Phase::browsesPerSecond).toList())),
                    Bench.ms(Bench.median(of.stream().map(Phase::browseP99).toList())),
                    mode == Mode.PRIMARY_ONLY ? "0 %" : String.format(Locale.ROOT, "%.1f %%",
                            100 * Bench.median(of.stream().map(Phase::replicaShare).toList())),
                    mode == Mode.PRIMARY_ONLY ? "0 %" : String.format(Locale.ROOT, "**%.1f %%**",
                            100 * Bench.median(of.stream().map(Phase::offPrimaryShare).toList()))));
        }
        out.append("Medians over the runs:\n\n");
        out.append(Bench.table(List.of("instance", "bookings/s", "booking p99", "seat maps/s", "seat map p99",
                "seat maps from the replica", "seat map reads off the primary"), summary));
        return out.toString();
    }
}
