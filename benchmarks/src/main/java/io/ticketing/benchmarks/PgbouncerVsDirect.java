package io.ticketing.benchmarks;

import io.ticketing.benchmarks.HttpVsPgbenchReport.Run;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.testsupport.PgBouncer;
import io.ticketing.testsupport.TestDatabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code pgbouncer}: what a transaction-pooling PgBouncer costs per booking. The booking of {@link HttpVsPgbench}'s
 * HTTP side (a checkout with an Idempotency-Key, then the signed paid webhook), by the same client threads, against
 * two API instances served in this process on one database of the machine's installed PostgreSQL:
 * <ul>
 *   <li><b>direct</b>: the instance's pool connects to PostgreSQL;</li>
 *   <li><b>through PgBouncer</b>: the instance's pool ({@code --db-pooled}: {@code prepareThreshold=0}) connects to a
 *       PgBouncer 1.x in transaction mode that the benchmark starts in front of the same database, with as many
 *       server connections as the pool has, so that both sides run the same number of transactions at once.</li>
 * </ul>
 * Each round books on a new event; the sides run one after the other in rotating order, after a warm-up of each.
 * Afterwards SQL checks that no seat was sold twice and that the summaries equal a recount.
 */
public final class PgbouncerVsDirect {

    private static final String USAGE = "pgbouncer [--clients 16] [--pool " + ConnectionPool.DEFAULT_SIZE + "] [--seconds 10] "
            + "[--rounds 6] [--warm-up-seconds 10] [--seats 50000] [--db-url jdbc:postgresql://localhost:5432/postgres] "
            + "[--db-user bench] [--db-password bench]";
    private static final String DATABASE = "pgbouncer_vs_direct";

    enum Side { DIRECT, DIRECT_UNPREPARED, POOLED }

    record Settings(int clients, int pool, int seconds, int rounds, int warmUp, int seats) {
    }

    private PgbouncerVsDirect() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "clients", "pool", "seconds", "rounds", "warm-up-seconds", "seats",
                "db-url", "db-user", "db-password");
        Settings settings = new Settings(Integer.parseInt(options.getOrDefault("clients", "16")),
                Integer.parseInt(options.getOrDefault("pool", Integer.toString(ConnectionPool.DEFAULT_SIZE))),
                Integer.parseInt(options.getOrDefault("seconds", "10")), Integer.parseInt(options.getOrDefault("rounds", "6")),
                Integer.parseInt(options.getOrDefault("warm-up-seconds", "10")), Integer.parseInt(options.getOrDefault("seats", "50000")));
        if (!PgBouncer.installed()) {
            System.err.println("pgbouncer is not on the PATH: apt-get install pgbouncer");
            System.exit(1);
        }
        String command = Bench.command("benchmarks/run pgbouncer " + String.join(" ", args));
        String user = options.getOrDefault("db-user", "bench");
        String password = options.getOrDefault("db-password", "bench");
        try (Server server = Server.installed(options.getOrDefault("db-url", "jdbc:postgresql://localhost:5432/postgres"), user, password)) {
            server.createDatabase(DATABASE);
            try {
                compare(server, new TestDatabase(DATABASE, server.jdbcUrl(DATABASE), user, password), settings, command);
            } finally {
                server.dropDatabase(DATABASE);
            }
        }
    }

    private static void compare(Server server, TestDatabase direct, Settings settings, String command) throws Exception {
        new SchemaMigrator(server.dataSource(DATABASE)).migrate();
        Path log = Path.of("benchmarks/target/pgbouncer-access.log");
        try (PgBouncer pooler = PgBouncer.start(direct, settings.pool());
             InProcessApi directApi = InProcessApi.start(direct.jdbcUrl(), direct.user(), direct.password(), DATABASE, 1,
                     settings.pool(), false, log);
             InProcessApi pooledApi = InProcessApi.start(pooler.database().jdbcUrl(), direct.user(), direct.password(), DATABASE, 1,
                     settings.pool(), true, log);
             InProcessApi unpreparedApi = InProcessApi.start(direct.jdbcUrl(), direct.user(), direct.password(), DATABASE, 1,
                     settings.pool(), true, log);
             Connection connection = server.connect(DATABASE)) {
            String machine = server.machineLine() + ". " + pgbouncerVersion();
            System.out.println(machine);
            Map<Side, InProcessApi> apis = Map.of(Side.DIRECT, directApi, Side.DIRECT_UNPREPARED, unpreparedApi, Side.POOLED, pooledApi);
            String warmUpEvent = HttpVsPgbench.newEvent(directApi, connection, 0, settings.seats());
            for (Side side : Side.values()) { // JIT, caches, the customers registered
                run(side, 0, warmUpEvent, settings.warmUp(), settings, apis.get(side), connection);
            }
            List<SideRun> runs = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                String eventId = HttpVsPgbench.newEvent(directApi, connection, round, settings.seats());
                List<Side> order = new ArrayList<>(List.of(Side.values()));
                Collections.rotate(order, round - 1);
                for (Side side : order) {
                    runs.add(new SideRun(side, run(side, round, eventId, settings.seconds(), settings, apis.get(side), connection)));
                }
            }
            String checks = HttpVsPgbenchReport.checks(connection);
            System.out.println(checks);
            String doc = document(machine, server.settings(), command, settings, runs, checks);
            System.out.println();
            System.out.println(doc);
            Bench.writeSection("pgbouncer", doc);
        }
    }

    record SideRun(Side side, Run run) {
    }

    private static Run run(Side side, int round, String eventId, int seconds, Settings settings, InProcessApi api, Connection connection)
            throws Exception {
        Run run = HttpVsPgbench.http(api.client(0), round, eventId, HttpVsPgbench.freeSeats(connection, eventId), settings.clients(),
                Duration.ofSeconds(seconds));
        System.out.printf(Locale.ROOT, "%s %-16s %8.1f bookings/s  p50 %s  p99 %s  (%d bookings, %d failed)%n",
                round == 0 ? "warm-up" : "round " + round, label(side), run.perSecond(), Bench.ms(run.p50()), Bench.ms(run.p99()),
                run.bookings(), run.failed());
        return run;
    }

    private static String label(Side side) {
        return switch (side) {
            case DIRECT -> "direct";
            case DIRECT_UNPREPARED -> "direct, prepareThreshold=0";
            case POOLED -> "through PgBouncer";
        };
    }

    private static String pgbouncerVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("pgbouncer", "--version").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out.lines().findFirst().orElse("PgBouncer (version unknown)");
    }

    static String document(String machine, String serverSettings, String command, Settings s, List<SideRun> runs, String checks) {
        StringBuilder doc = new StringBuilder();
        doc.append("## PgBouncer (transaction pooling) vs direct: what the pooler costs per booking\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server settings (the installed server's own): ").append(serverSettings).append(".\n\n");
        doc.append(String.format(Locale.ROOT, """
                One database on the machine's installed PostgreSQL, migrated; three instances of the real API served in the
                benchmark's process (`Application.start`), each with a connection pool of %d: **direct**, its pool connected to
                PostgreSQL; **direct, prepareThreshold=0**, the same with the pooled settings (`--db-pooled`: no server-side
                prepared statements), to tell their cost from the hop's; **through PgBouncer**, its pool given the pooled
                settings and connected to a PgBouncer the benchmark starts on this machine in front of the same database
                (`pool_mode = transaction`, `default_pool_size = %d`: as many server connections as the pool, so that both
                sides run as many transactions at once; `auth_type = trust` on 127.0.0.1, no TLS). The booking is
                `http-vs-pgbench`'s HTTP side: %d client threads, each its own customer, `POST /payment-sessions` with an
                `Idempotency-Key`, then a signed `succeeded` webhook; 1 or 2 seats no other client wants; latency = both calls.
                Each round books on a new published event of %,d seats; after a %d s warm-up of each side, %d rounds of %d s
                per side, the order rotating. Everything (clients, API, PgBouncer, PostgreSQL) shares the machine's cores.

                """, s.pool(), s.pool(), s.clients(), s.seats(), s.warmUp(), s.rounds(), s.seconds()));
        List<List<String>> rows = new ArrayList<>();
        for (Side side : Side.values()) {
            List<Run> mine = runs.stream().filter(r -> r.side() == side).map(SideRun::run).toList();
            rows.add(List.of(label(side), String.format(Locale.ROOT, "**%.1f**", HttpVsPgbenchReport.median(mine, Run::perSecond)),
                    String.join(", ", mine.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.perSecond())).toList()),
                    Bench.ms(HttpVsPgbenchReport.median(mine, Run::p50)), Bench.ms(HttpVsPgbenchReport.median(mine, Run::p99)),
                    Long.toString(mine.stream().mapToLong(Run::failed).sum())));
        }
        doc.append(Bench.table(List.of("side", "bookings/s (median)", "each run", "p50 latency", "p99 latency", "failed"), rows));
        doc.append("\n");
        doc.append(comparison(runs, s.rounds(), Side.POOLED, Side.DIRECT, "the whole cost of the pooled deployment"));
        doc.append(comparison(runs, s.rounds(), Side.DIRECT_UNPREPARED, Side.DIRECT, "no server-side prepared statements"));
        doc.append(comparison(runs, s.rounds(), Side.POOLED, Side.DIRECT_UNPREPARED, "PgBouncer's hop alone"));
        doc.append("\n").append(checks).append("\n");
        return doc.toString();
    }

    /** One line: {@code side} against {@code base}, throughput and p99 ratios and the median latency added, round by round. */
    private static String comparison(List<SideRun> runs, int rounds, Side side, Side base, String what) {
        List<Double> throughput = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> p50Added = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Run mine = of(runs, side, round);
            Run theirs = of(runs, base, round);
            throughput.add(mine.perSecond() / theirs.perSecond());
            p99.add(mine.p99() / theirs.p99());
            p50Added.add(mine.p50() - theirs.p50());
        }
        return String.format(Locale.ROOT, "- %s / %s (%s): throughput **%s** (round by round %s), p99 **%s** (%s), "
                        + "median latency per booking %s%s.%n", label(side), label(base), what,
                Bench.ratio(Bench.median(throughput)), String.join(", ", throughput.stream().map(Bench::ratio).toList()),
                Bench.ratio(Bench.median(p99)), String.join(", ", p99.stream().map(Bench::ratio).toList()),
                Bench.median(p50Added) >= 0 ? "+" : "", Bench.ms(Bench.median(p50Added)));
    }

    private static Run of(List<SideRun> runs, Side side, int round) {
        return runs.stream().filter(r -> r.side() == side && r.run().round() == round).map(SideRun::run).findFirst().orElseThrow();
    }
}
