package io.ticketing.benchmarks;

import io.ticketing.migration.schema.SchemaInvariants;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The checks after the runs of {@link HttpVsPgbench} and its section of docs/benchmarks.md. */
final class HttpVsPgbenchReport {

    enum Side { HTTP, PGBENCH_CLIENTS, PGBENCH_POOL, PGBENCH_BEFORE }

    /**
     * One run of one side; claimMillis, bookingMillis and slowest from pgbench's {@code -r} only, jitMillis (the time the
     * JVM's compilers spent during the run) from the HTTP side only.
     */
    record Run(Side side, int round, double perSecond, long bookings, long failed, double p50, double p99, double claimMillis,
               double bookingMillis, List<String> slowest, double jitMillis) {

        Run compiling(double millis) {
            return new Run(side, round, perSecond, bookings, failed, p50, p99, claimMillis, bookingMillis, slowest, millis);
        }
    }

    /** warmUp: of each pgbench side; httpWarmUp: of the HTTP side, whose JVM compiles its hot code during the first minute. */
    record Settings(int clients, int pool, int seconds, int rounds, int warmUp, int httpWarmUp, int seats) {
    }

    private HttpVsPgbenchReport() {
    }

    static String label(Side side, Settings settings) {
        return switch (side) {
            case HTTP -> "HTTP, " + settings.clients() + " clients";
            case PGBENCH_CLIENTS -> "pgbench -c " + settings.clients();
            case PGBENCH_POOL -> "pgbench -c " + settings.pool() + " (pool size)";
            case PGBENCH_BEFORE -> "pgbench -c " + settings.clients() + ", the SQL before";
        };
    }

    /** The schema's invariants (SchemaInvariants: nothing sold twice, summaries equal a recount) and the totals. */
    static String checks(Connection connection) throws SQLException {
        Map<String, Long> violations = SchemaInvariants.count(connection);
        long booked = Bench.count(connection, "SELECT count(*) FROM ticketing.seat WHERE status = 'BOOKED'");
        long tickets = Bench.count(connection, "SELECT count(*) FROM ticketing.ticket WHERE status IN ('VALID', 'USED')");
        long reserved = Bench.count(connection, "SELECT count(*) FROM ticketing.seat WHERE status = 'RESERVED'");
        long confirmed = Bench.count(connection, "SELECT count(*) FROM ticketing.booking WHERE status = 'CONFIRMED'");
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "After the runs (warm-up included): %,d confirmed bookings, %,d seats BOOKED, %,d live tickets, %,d seats left RESERVED. ",
                confirmed, booked, tickets, reserved));
        out.append("Violations: ");
        out.append(String.join(", ", violations.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
        out.append(".");
        return out.toString();
    }

    static String document(String machine, String command, Settings s, int httpWarmedSeconds, List<Side> sides, List<Run> runs,
                           String checks, int statements, long seats) {
        StringBuilder doc = new StringBuilder();
        doc.append("## HTTP booking throughput vs pgbench running the same SQL\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server settings: ").append(Bench.settings()).append(". ").append(Pgbench.version()).append(".\n\n");
        doc.append(String.format(Locale.ROOT, """
                One database, migrated; the real API served in the benchmark's process (`Application.start`, connection pool
                of %d, the application's default `ConnectionPool.DEFAULT_SIZE` on this machine; access log to a file). Each
                round books on a new published event of %,d seats at 50.00, created through the API. A booking takes 1 or 2
                seats (equally likely) that no other client wants. After a warm-up of each side (%d s of HTTP, during which
                the JVM compiles the stack's hot code: at least %d s, then an `ANALYZE` of the tables it filled, then runs of %d s
                until its JIT compilers were busy for less than %.0f%% of one; %d s of each pgbench side), %d rounds; in each, every side runs for
                %d s, in rotating order:

                - **HTTP**: %d client threads in this process (Java's HttpClient), each its own customer:
                  `POST /payment-sessions` with an `Idempotency-Key`, then a signed `succeeded` webhook with the checkout's
                  amount. Latency = both calls; seats from a shuffled in-memory queue.
                - **pgbench**: `pgbench -M prepared -j 1 -T %d` with `benchmarks/src/main/resources/pgbench/booking.sql`
                  (expanded for one and for two seats, `-f …@1` each): the statements PostgreSQL receives for one such
                  booking, in the same two transactions, one an HTTP request (1 the checkout with its idempotency key,
                  2 the webhook with its ledger row, booking, booked seats and tickets), triggers and audit included since
                  they run in the database. Run with `-c` = the HTTP clients and with `-c` = the pool size (the API funnels
                  its clients into that many connections). Its one extra statement claims the seats from a queue table
                  (`bench.booking_queue_N`, a primary-key lookup and a `nextval`) and makes the ids the application makes
                  in Java; its share of the time is shown below. Before the runs, the benchmark traced one booking through
                  the API in the statement log of a server of its own: the script's %d statements (BEGIN and COMMIT
                  included) match it in kind and order (`benchmarks/run http-vs-pgbench --show-sql` prints both).
                - **pgbench, the SQL before**: the same with `pgbench/booking-before.sql`, the booking as the API sent it
                  before a request became one transaction (46 statements with BEGIN and COMMIT, five transactions), kept
                  as the reference, with `-c` = the HTTP clients.

                Both sides run on the same 2 cores as the server, so each side's client takes CPU from PostgreSQL too:
                pgbench very little, the HTTP side its clients, Jetty, JSON and the JVM. Throughput = bookings completed /
                wall time of the run; latency percentiles are over all bookings of a run (pgbench: from `--log`), then the
                median over the rounds.

                """, s.pool(), s.seats(), httpWarmedSeconds, s.httpWarmUp(), s.seconds(), HttpVsPgbench.SETTLED * 100, s.warmUp(),
                s.rounds(), s.seconds(), s.clients(), s.seconds(), statements));
        List<List<String>> rows = new ArrayList<>();
        for (Side side : sides) {
            List<Run> mine = runs.stream().filter(r -> r.side() == side).toList();
            rows.add(List.of(label(side, s),
                    String.format(Locale.ROOT, "**%.1f**", median(mine, Run::perSecond)),
                    String.join(", ", mine.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.perSecond())).toList()),
                    Bench.ms(median(mine, Run::p50)), Bench.ms(median(mine, Run::p99)),
                    Long.toString(mine.stream().mapToLong(Run::failed).sum())));
        }
        doc.append(Bench.table(List.of("side", "bookings/s (median)", "each run", "p50 latency", "p99 latency", "failed"), rows));
        List<Run> httpRuns = runs.stream().filter(r -> r.side() == Side.HTTP).toList();
        double http = median(httpRuns, Run::perSecond);
        doc.append(String.format(Locale.ROOT, "%nThe JVM's JIT compilers during the HTTP runs: %s ms (a warm stack compiles little).%n%n",
                String.join(", ", httpRuns.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.jitMillis())).toList())));
        for (Side side : sides) {
            if (side == Side.HTTP) {
                continue;
            }
            List<Run> mine = runs.stream().filter(r -> r.side() == side).toList();
            List<Double> perRound = new ArrayList<>();
            for (Run r : mine) {
                runs.stream().filter(h -> h.side() == Side.HTTP && h.round() == r.round()).findFirst()
                        .ifPresent(h -> perRound.add(r.perSecond() / h.perSecond()));
            }
            double ratio = median(mine, Run::perSecond) / http;
            doc.append(String.format(Locale.ROOT, "- %s / HTTP: **%s** (round by round %s, median %s): through the stack, a booking "
                            + "reaches %.0f%% of this throughput of the database alone.%n", label(side, s), Bench.ratio(ratio),
                    String.join(", ", perRound.stream().map(Bench::ratio).toList()), Bench.ratio(Bench.median(perRound)), 100 / ratio));
        }
        for (Side side : List.of(Side.PGBENCH_BEFORE, Side.PGBENCH_CLIENTS)) {
            if (sides.contains(side)) {
                double ratio = http / median(runs.stream().filter(r -> r.side() == side).toList(), Run::perSecond);
                doc.append(String.format(Locale.ROOT, "- HTTP / %s: **%.2f** (goal %s).%n", label(side, s), ratio,
                        side == Side.PGBENCH_BEFORE ? "≥ 1.0: the stack books at least as fast as the database alone did with that SQL"
                                : "≥ 0.7"));
            }
        }
        List<Run> pg = runs.stream().filter(r -> r.side() != Side.HTTP).toList();
        doc.append(String.format(Locale.ROOT, "- pgbench's queue claim (not the application's statement) takes %.1f%% of a booking's "
                        + "statement time (median over its runs; `-r`'s average latencies), so the ratios above understate pgbench by about that much.%n",
                100 * median(pg, r -> r.claimMillis() / r.bookingMillis())));
        pg.stream().filter(r -> r.side() == Side.PGBENCH_CLIENTS).reduce((first, second) -> second).ifPresent(last -> {
            doc.append(String.format(Locale.ROOT, "%nThe slowest statements of the last `%s` run (average latency, `-r`, lock waits included):%n%n",
                    label(Side.PGBENCH_CLIENTS, s)));
            last.slowest().forEach(statement -> doc.append("    ").append(statement).append('\n'));
        });
        doc.append(String.format(Locale.ROOT, "%n%s Seats in the database: %,d.%n", checks, seats));
        return doc.toString();
    }

    static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
        return Bench.median(runs.stream().map(r -> value.applyAsDouble(r)).toList());
    }
}
