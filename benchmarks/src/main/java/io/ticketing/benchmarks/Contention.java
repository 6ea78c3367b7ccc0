package io.ticketing.benchmarks;

import io.ticketing.benchmarks.ContentionReport.Round;
import io.ticketing.benchmarks.ContentionReport.Settings;
import io.ticketing.benchmarks.ContentionRacer.Tally;
import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.schema.SchemaInvariants;
import io.ticketing.persistence.mybatis.ConnectionPool;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * {@code contention}: many clients racing for the same few seats, through two API instances on one
 * database (the product promises no double sale across instances). One published event whose seats
 * are all the hot block; {@code --clients} threads, each a customer ({@link ContentionRacer}), split
 * between the instances, check out 1–3 seats they last saw available: 409 (seats taken) or 201, then
 * pay by webhook (to either instance) or cancel; paid bookings are cancelled again now and then, so
 * seats keep coming back and the race lasts the whole run. Demand (clients × seats they hold) exceeds
 * the block, so most attempts lose.
 *
 * <p>Reported per round and in all: attempts, 201s, 409s by code, anything else (must be none, and is
 * printed), throughput, and p50/p95/p99 latency of the checkout call, separately for sales and
 * refusals. After each round, with the clients stopped, SQL checks the schema's invariants
 * ({@link SchemaInvariants}: no seat sold or held twice, statuses agree with claims, summaries equal
 * a recount), that BOOKED seats are exactly the seats with a live ticket, and that the clients' own
 * records of what they bought and still hold have no seat twice and equal the live tickets. Exits 1
 * on any violation or unexpected answer.
 */
public final class Contention {

    private static final String USAGE = "contention [--clients 64] [--seats 100] [--instances 2] [--pool " + ConnectionPool.DEFAULT_SIZE
            + "] [--seconds 20] [--rounds 3] [--warm-up-seconds 5]";
    private static final String DATABASE = "contention";

    private Contention() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "clients", "seats", "instances", "pool", "seconds", "rounds", "warm-up-seconds");
        Settings settings = new Settings(Integer.parseInt(options.getOrDefault("clients", "64")),
                Integer.parseInt(options.getOrDefault("seats", "100")), Integer.parseInt(options.getOrDefault("instances", "2")),
                Integer.parseInt(options.getOrDefault("pool", Integer.toString(ConnectionPool.DEFAULT_SIZE))),
                Integer.parseInt(options.getOrDefault("seconds", "20")), Integer.parseInt(options.getOrDefault("rounds", "3")),
                Integer.parseInt(options.getOrDefault("warm-up-seconds", "5")));
        String command = Bench.command("benchmarks/run contention " + String.join(" ", args));
        boolean failed;
        try (LocalPostgres server = Bench.startServer();
             InProcessApi api = InProcessApi.start(server, DATABASE, settings.instances(), settings.pool(),
                     Path.of("benchmarks/target/contention-access.log"));
             Connection connection = Bench.connect(server, DATABASE)) {
            String machine = Bench.machineLine(connection);
            System.out.println(machine);
            int perRow = Math.min(settings.seats(), 100);
            String eventId = api.client(0).publishedEvent("Contention", (settings.seats() + perRow - 1) / perRow, perRow);
            List<String> block = new ArrayList<>();
            for (Object[] row : Bench.rows(connection, "SELECT id::text FROM ticketing.seat WHERE event_id = ?::uuid", eventId)) {
                block.add((String) row[0]);
            }
            List<ApiClient> instances = IntStream.range(0, api.instances()).mapToObj(api::client).toList();
            List<ContentionRacer> racers = IntStream.range(0, settings.clients())
                    .mapToObj(i -> new ContentionRacer(i, instances.get(i % instances.size()), instances, eventId, block)).toList();
            System.out.printf("event %s: %d seats, all of them the hot block; %d clients over %d instances, pool of %d each%n",
                    eventId, block.size(), racers.size(), instances.size(), settings.pool());

            List<Round> rounds = new ArrayList<>();
            for (int number = 0; number <= settings.rounds(); number++) { // round 0 warms up: JIT, caches; only its checks are reported
                Round round = race(number, racers, number == 0 ? settings.warmUp() : settings.seconds(), connection, eventId);
                ContentionReport.print(round);
                rounds.add(round);
            }
            String doc = ContentionReport.document(machine, command, settings, block.size(), rounds);
            System.out.println();
            System.out.println(doc);
            Bench.writeSection("contention", doc);
            failed = rounds.stream().anyMatch(r -> r.violations() > 0 || r.unexpected() > 0);
        }
        if (failed) {
            System.err.println("contention: violations or unexpected answers found (see above)");
            System.exit(1);
        }
    }

    private static Round race(int number, List<ContentionRacer> racers, int seconds, Connection connection, String eventId)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(racers.size());
        try {
            long began = System.nanoTime();
            long deadline = began + seconds * 1_000_000_000L;
            List<Future<Tally>> running = racers.stream().map(r -> threads.submit(() -> r.race(deadline))).toList();
            List<Tally> tallies = new ArrayList<>();
            for (Future<Tally> tally : running) {
                tallies.add(tally.get());
            }
            double wall = (System.nanoTime() - began) / 1e9;
            return new Round(number, tallies, wall, checks(connection, eventId, racers));
        } finally {
            threads.shutdownNow();
        }
    }

    /** Every invariant as check → number of violations (all must be 0), with the clients at rest. */
    private static Map<String, Long> checks(Connection connection, String eventId, List<ContentionRacer> racers) throws SQLException {
        Map<String, Long> checks = new LinkedHashMap<>(SchemaInvariants.count(connection));
        checks.put("a BOOKED seat without a live ticket, or a live ticket on a seat not BOOKED", Bench.count(connection, """
                SELECT count(*) FROM ticketing.seat s
                 WHERE s.event_id = ?::uuid
                   AND (s.status = 'BOOKED') <> EXISTS (SELECT 1 FROM ticketing.ticket t
                                                         WHERE t.event_id = s.event_id AND t.seat_id = s.id
                                                           AND t.status IN ('VALID', 'USED'))""", eventId));
        // The clients' record: seat → the booking they were told holds it, and what the database says.
        Map<String, String> told = new HashMap<>();
        long toldTwice = 0;
        for (ContentionRacer racer : racers) {
            for (Map.Entry<String, List<String>> booking : racer.holdings().entrySet()) {
                for (String seat : booking.getValue()) {
                    if (told.put(seat, booking.getKey()) != null) {
                        toldTwice++;
                    }
                }
            }
        }
        Map<String, String> live = new HashMap<>();
        for (Object[] row : Bench.rows(connection, """
                SELECT seat_id::text, booking_id::text FROM ticketing.ticket
                 WHERE event_id = ?::uuid AND status IN ('VALID', 'USED')""", eventId)) {
            live.put((String) row[0], (String) row[1]);
        }
        checks.put("a seat two clients were each told they bought and still hold", toldTwice);
        checks.put("a seat a client was told it holds, without that booking's live ticket",
                told.entrySet().stream().filter(e -> !e.getValue().equals(live.get(e.getKey()))).count());
        checks.put("a live ticket no client was told of", live.keySet().stream().filter(seat -> !told.containsKey(seat)).count());
        checks.put("a seat left RESERVED with every client at rest",
                Bench.count(connection, "SELECT count(*) FROM ticketing.seat WHERE event_id = ?::uuid AND status = 'RESERVED'", eventId));
        return checks;
    }
}
