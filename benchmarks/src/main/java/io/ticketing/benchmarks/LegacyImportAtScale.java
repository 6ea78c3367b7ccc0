package io.ticketing.benchmarks;

import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.ImportReport;
import io.ticketing.migration.legacy.LegacyRollback;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.migration.legacy.LegacyVerifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code legacy-import-1m}: what an operator needs to know before importing a live legacy database
 * (1M seats by default), through the same classes the {@code ./ticketing legacy …} commands run.
 * A simulated legacy app ({@link LegacyWriters}) writes for a baseline period, then all through the
 * import; its transactions' latencies before and during the import, its failed transactions and its
 * longest write around the cut-over are reported next to the import's own "legacy writes blocked
 * for N ms". Once the import is done the writers stop (the app would be switched over), the rows
 * they wrote after the cut-over are carried over by a second import, and verify must be clean.
 * Throughput: legacy rows/s of the import and of its copy phase, against the set-based
 * {@code INSERT … SELECT} of the same rows ({@link SetBasedCopy}) under the same writers, on the same
 * server in the same run. Last, the rollback must give back the legacy tables as the writers left them.
 */
public final class LegacyImportAtScale {

    private static final String USAGE = "legacy-import-1m [--seats 1000000] [--server embedded|installed] "
            + "[--db-url jdbc:postgresql://localhost:5432/postgres --db-user bench --db-password bench] "
            + "[--writers 4] [--events 50] [--pause-ms 100] [--baseline-seconds 20] [--import-workers 2]";

    /** The goals an operator was promised, written next to the numbers. */
    private static final double GOAL_ROWS_PER_SECOND = 30_000;
    private static final double GOAL_RATIO_TO_SET_BASED = 0.7;
    private static final double GOAL_P99_RATIO = 2;
    private static final double GOAL_CUT_OVER_WRITE_MS = 500;
    /** How far before the cut-over's locks and after their release a write counts as "around the cut-over". */
    private static final long CUT_OVER_MARGIN_NANOS = 1_000_000_000L;

    private LegacyImportAtScale() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "seats", "server", "db-url", "db-user", "db-password", "writers",
                "events", "pause-ms", "baseline-seconds", "import-workers");
        int seats = Integer.parseInt(options.getOrDefault("seats", "1000000"));
        int threads = Integer.parseInt(options.getOrDefault("writers", "4"));
        int events = Integer.parseInt(options.getOrDefault("events", "50"));
        long pauseMillis = Long.parseLong(options.getOrDefault("pause-ms", "100"));
        int baselineSeconds = Integer.parseInt(options.getOrDefault("baseline-seconds", "20"));
        // The import's copy workers (`legacy import --workers`); another count than the default is recorded apart.
        ImportOptions importOptions = ImportOptions.defaults().withWorkers(
                Integer.parseInt(options.getOrDefault("import-workers", Integer.toString(ImportOptions.DEFAULT_WORKERS))));
        String command = Bench.command("benchmarks/run legacy-import-1m " + String.join(" ", args));
        try (Server server = Server.fromOptions(options)) {
            String machine = server.machineLine();
            String settings = server.settings();
            System.out.println(machine);
            System.out.println("server settings: " + settings);
            String database = "legacy_import_bench_" + seats;
            LegacyFixture.Generated generated = LegacyFixture.generate(server, database, seats);
            try {
                Run run = run(server, database, threads, events, pauseMillis, baselineSeconds, importOptions);
                String doc = document(command, machine, server, settings, generated, run, importOptions.workers());
                System.out.println();
                System.out.println(doc);
                Bench.writeSection("legacy-import-1m" + (server.kind().equals("embedded") ? "" : "-" + server.kind())
                        + (importOptions.workers() == ImportOptions.DEFAULT_WORKERS ? "" : "-workers-" + importOptions.workers()), doc);
            } finally {
                server.dropDatabase(database);
            }
        }
    }

    /** The quarantine by table and reason: beyond what the generator planted, what the legacy app's writes caused. */
    private static void printQuarantine(Server server, String database, String when) throws SQLException {
        try (Connection c = server.connect(database)) {
            System.out.println("quarantine " + when + ":");
            for (Object[] row : Bench.rows(c, "SELECT table_name, reason, count(*) FROM ticketing_import.quarantine GROUP BY 1, 2 ORDER BY 1, 2")) {
                System.out.printf("  %-22s %-40s %d%n", row[0], row[1], ((Number) row[2]).longValue());
            }
        }
    }

    /** Everything one run measured. */
    private record Run(int events, List<LegacyWriters.Tx> transactions, List<LegacyWriters.Tx> setBasedTransactions, long baselineStartNanos,
                       long writersStoppedNanos, LegacyFixture.Imported imported, LegacyFixture.Imported second, long pendingAfterImport,
                       LegacyVerifier.Result verified, double verifyMillis, long legacyRows, String legacyRowsByTable,
                       SetBasedCopy.Result setBased, double rollbackMillis, long carriedBack, boolean rollbackEqual, int threads,
                       long pauseMillis, String loadBeforeImport, String loadAfterImport, String loadAtEnd) {
    }

    private static Run run(Server server, String database, int threads, int events, long pauseMillis, int baselineSeconds,
                           ImportOptions importOptions) throws Exception {
        var dataSource = server.dataSource(database);
        List<LegacyWriters.Pool> pools;
        try (Connection c = server.connect(database)) {
            pools = LegacyWriters.prepare(c, threads, events, 20_000, 5_000);
            Bench.execute(c, "CHECKPOINT");
        }
        System.out.printf("legacy app: %d writers, %d ms between transactions; %d s of baseline before the import%n",
                threads, pauseMillis, baselineSeconds);
        LegacyWriters writers = new LegacyWriters(server, database, pools, pauseMillis);
        long baselineStart = System.nanoTime();
        writers.start();
        Thread.sleep(baselineSeconds * 1000L);
        String loadBefore = Bench.loadAverage();
        System.out.println("load average before the import: " + loadBefore);

        LegacyFixture.Imported imported;
        try {
            imported = LegacyFixture.importAll(dataSource, importOptions);
        } catch (Exception | Error e) {
            writers.stop();
            throw e;
        }
        // the import is done: the operator switches the application over, the legacy app stops writing
        writers.stop();
        long stopped = System.nanoTime();
        String loadAfter = Bench.loadAverage();
        System.out.println("load average after the import: " + loadAfter);
        List<LegacyWriters.Tx> transactions = writers.transactions();
        long pending = imported.report().pending();
        System.out.printf("legacy app stopped: %d transactions (%d failed); %d legacy rows pending after the import%n",
                transactions.size(), transactions.stream().filter(LegacyWriters.Tx::failed).count(), pending);

        printQuarantine(server, database, "after the import");
        System.out.println("import again, to carry over what the legacy app wrote after the cut-over:");
        LegacyFixture.Imported second = LegacyFixture.importAll(dataSource, importOptions);
        printQuarantine(server, database, "after the second import");
        if (second.report().pending() != 0) {
            throw new IllegalStateException("rows still pending after the second import, with the legacy app stopped: " + second.report().pending());
        }
        long verifyStart = System.nanoTime();
        LegacyVerifier.Result verified = new LegacyVerifier(dataSource).run();
        double verifyMillis = Bench.millisSince(verifyStart);
        verified.print(System.out);
        if (!verified.clean()) {
            throw new IllegalStateException("verify found differences after the import");
        }

        long legacyRows;
        String byTable;
        SetBasedCopy.Result setBased;
        LegacyWriters setBasedWriters = new LegacyWriters(server, database, pools, pauseMillis);
        try (Connection c = server.connect(database)) {
            legacyRows = Bench.legacyRows(c);
            byTable = Bench.legacyRowsByTable(c);
            // the same legacy rows, copied set-based while the same legacy app writes, as during the import
            setBasedWriters.start();
            try {
                setBased = SetBasedCopy.run(c);
            } finally {
                setBasedWriters.stop();
            }
            SetBasedCopy.dropScratch(c);
            System.out.printf("set-based INSERT … SELECT of the same rows: %s, %s legacy rows/s (%d rows written)%n",
                    Bench.seconds(setBased.millis()), Bench.perSecond(legacyRows, setBased.millis()), setBased.rowsWritten());
        }

        // The writers changed the legacy tables during the import: the rollback must give them back as the writers left them.
        Map<String, String> before;
        try (Connection c = server.connect(database)) {
            before = LegacySchema.contentHashes(c);
        }
        long rollbackStart = System.nanoTime();
        Map<String, Long> carried = new LegacyRollback(dataSource, System.out).run();
        double rollbackMillis = Bench.millisSince(rollbackStart);
        Map<String, String> after;
        try (Connection c = server.connect(database)) {
            after = LegacySchema.contentHashes(c);
        }
        boolean equal = before.equals(after);
        System.out.println("legacy tables after rollback equal to when the legacy app stopped (content hashes): " + equal);
        if (!equal) {
            throw new IllegalStateException("rollback did not give back the legacy tables: " + before + " vs " + after);
        }
        return new Run(events, transactions, setBasedWriters.transactions(), baselineStart, stopped, imported, second, pending, verified,
                verifyMillis, legacyRows, byTable, setBased, rollbackMillis, carried.values().stream().mapToLong(Long::longValue).sum(),
                equal, threads, pauseMillis, loadBefore, loadAfter, Bench.loadAverage());
    }

    // ---- the legacy app's transactions --------------------------------------------------------

    /** A stretch of time (System.nanoTime) the legacy transactions are grouped by, by their start. */
    private record Phase(String name, long from, long to) {
        boolean holds(LegacyWriters.Tx tx) {
            return tx.startNanos() >= from && tx.startNanos() < to;
        }
    }

    /** Before the import, then the import's own phases from the times it printed its lines, then until the writers stopped. */
    private static List<Phase> phases(Run run) {
        LegacyFixture.Imported imported = run.imported();
        long copyEnd = imported.line("copied in").map(LegacyFixture.Line::nanos).orElse(imported.endNanos());
        long copyStart = copyEnd - (long) (imported.copyMillis() * 1e6);
        long cutOverEnd = imported.line("final catch-up:").map(LegacyFixture.Line::nanos).orElse(imported.endNanos());
        return List.of(new Phase("before the import (baseline)", run.baselineStartNanos(), imported.startNanos()),
                new Phase("import: schema, capture triggers", imported.startNanos(), copyStart),
                new Phase("import: copy", copyStart, copyEnd),
                new Phase("import: catch-up rounds and cut-over", copyEnd, cutOverEnd),
                new Phase("import: after the cut-over (summary recount, report)", cutOverEnd, imported.endNanos() + 1),
                new Phase("after the import, until the writers stopped", imported.endNanos() + 1, run.writersStoppedNanos()));
    }

    private static List<Double> millis(List<LegacyWriters.Tx> transactions, Predicate<LegacyWriters.Tx> which) {
        return transactions.stream().filter(which).map(LegacyWriters.Tx::millis).toList();
    }

    private static String latencies(List<Double> millis) {
        if (millis.isEmpty()) {
            return "none";
        }
        return Bench.ms(Bench.percentile(millis, 50)) + " / " + Bench.ms(Bench.percentile(millis, 99)) + " / "
                + Bench.ms(millis.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static String met(boolean met) {
        return met ? "**met**" : "**not met**";
    }

    private static String document(String command, String machine, Server server, String settings, LegacyFixture.Generated generated,
                                   Run run, int importWorkers) throws SQLException {
        boolean defaultWorkers = importWorkers == ImportOptions.DEFAULT_WORKERS;
        LegacyFixture.Imported imported = run.imported();
        ImportReport report = imported.report();
        List<LegacyWriters.Tx> all = run.transactions();
        Phase baseline = phases(run).get(0);
        Predicate<LegacyWriters.Tx> during = tx -> tx.startNanos() >= imported.startNanos() && tx.startNanos() <= imported.endNanos();
        List<Double> before = millis(all, tx -> !tx.failed() && baseline.holds(tx));
        List<Double> inImport = millis(all, tx -> !tx.failed() && during.test(tx));
        double p99Before = Bench.percentile(before, 99);
        double p99During = Bench.percentile(inImport, 99);
        List<LegacyWriters.Tx> failed = all.stream().filter(LegacyWriters.Tx::failed).toList();
        long failedUnderSetBased = run.setBasedTransactions().stream().filter(LegacyWriters.Tx::failed).count();

        long blocked = imported.blockedMillis();
        long released = imported.line("final catch-up:").map(LegacyFixture.Line::nanos).orElse(imported.endNanos());
        long windowFrom = released - Math.max(0, blocked) * 1_000_000L - CUT_OVER_MARGIN_NANOS;
        long windowTo = released + CUT_OVER_MARGIN_NANOS;
        LegacyWriters.Tx cutOverLongest = all.stream().filter(tx -> tx.startNanos() < windowTo && tx.endNanos() > windowFrom)
                .max((a, b) -> Double.compare(a.millis(), b.millis())).orElse(null);
        double cutOverMs = cutOverLongest == null ? 0 : cutOverLongest.millis();
        LegacyWriters.Tx longest = all.stream().filter(during).max((a, b) -> Double.compare(a.millis(), b.millis())).orElse(null);

        long legacyRows = run.legacyRows();
        double importRate = legacyRows / (imported.millis() / 1000);
        double copyRate = legacyRows / (imported.copyMillis() / 1000);
        double setRate = legacyRows / (run.setBased().millis() / 1000);
        double ratio = importRate / setRate;
        double copyRatio = copyRate / setRate;

        StringBuilder doc = new StringBuilder();
        doc.append("## Legacy import at ").append(String.format(Locale.ROOT, "%,d", generated.seats()))
                .append(" seats while the legacy app writes: ").append(server.kind()).append(" PostgreSQL")
                .append(defaultWorkers ? "" : ", " + importWorkers + (importWorkers == 1 ? " copy worker" : " copy workers")).append(" (issue 7)\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server: ").append(server.kind().equals("embedded")
                ? "the embedded PostgreSQL of every benchmark (`Bench.SERVER_SETTINGS`)"
                : "this machine's installed PostgreSQL, stock settings (`pg_lsclusters`; role `bench`, see below)")
                .append("; its settings as it reports them: ").append(settings).append(".\n");
        doc.append("Load average (1/5/15 min) before the import ").append(run.loadBeforeImport()).append(", right after it ")
                .append(run.loadAfterImport()).append(", at the end ").append(run.loadAtEnd()).append(" (2 cores, shared machine).\n\n");
        doc.append(String.format(Locale.ROOT, """
                A generated legacy database of %,d seats (LegacyDataGenerator, seed 1; generated in %s). A simulated legacy app
                (`LegacyWriters`: %d threads, each on its own connection, autocommit off, %d ms between transactions, on the seats
                of %d events; each thread sells its own free seats, cancels its own confirmed bookings, checks in their tickets, so
                the threads never wait for one another) writes for %s, then all through `LegacyImporter` (%s, the class behind
                `./ticketing legacy import`); when the import returns, the writers stop (the operator switches the application
                over). Its rows written after the cut-over are `pending` in the report; a second import carries them over, then
                `verify` must be clean. Then the set-based `INSERT … SELECT` of the same rows (`SetBasedCopy`, as in
                `import-throughput`) runs under the same writers, and `rollback`. Rows/s = legacy rows (all seven tables, %,d when
                the writers stopped: %s) per second of wall time.

                """, generated.seats(), Bench.seconds(generated.millis()), run.threads(), run.pauseMillis(), run.events(), Bench.seconds(
                (imported.startNanos() - run.baselineStartNanos()) / 1e6), defaultWorkers ? "default options" : "default options but `--workers "
                + importWorkers + "`", legacyRows, run.legacyRowsByTable()));

        List<List<String>> results = new ArrayList<>();
        results.add(List.of("import, legacy rows/s overall", String.format(Locale.ROOT, "%,.0f (%s for %,d rows)", importRate,
                Bench.seconds(imported.millis()), legacyRows), "≥ 30,000", met(importRate >= GOAL_ROWS_PER_SECOND)));
        results.add(List.of("import, copy phase alone", String.format(Locale.ROOT, "%,.0f (%s)", copyRate, Bench.seconds(imported.copyMillis())),
                "", ""));
        results.add(List.of("set-based `INSERT … SELECT`, same rows, same writers", String.format(Locale.ROOT, "%,.0f (%s, %,d rows written)",
                setRate, Bench.seconds(run.setBased().millis()), run.setBased().rowsWritten()), "", ""));
        results.add(List.of("import / set-based (rows/s)", "**" + Bench.ratio(ratio) + "** overall, " + Bench.ratio(copyRatio) + " copy phase",
                "≥ 0.7×", met(ratio >= GOAL_RATIO_TO_SET_BASED)));
        results.add(List.of("legacy transactions p50 / p99 / max, before the import", latencies(before) + " (" + before.size() + " tx)", "", ""));
        results.add(List.of("legacy transactions p50 / p99 / max, during the import", latencies(inImport) + " (" + inImport.size() + " tx)", "", ""));
        results.add(List.of("p99 during / p99 before", "**" + Bench.ratio(p99During / p99Before) + "**", "≤ 2×",
                met(p99During / p99Before <= GOAL_P99_RATIO)));
        results.add(List.of("failed legacy transactions (any error), before and during the import", "**" + failed.size() + "**" + (failed.isEmpty() ? ""
                : ": " + failed.stream().collect(Collectors.groupingBy(tx -> tx.failedState() + " " + tx.failure(), TreeMap::new,
                        Collectors.counting())).entrySet().stream().limit(5).map(e -> e.getValue() + "× " + e.getKey().replace("|", "\\|"))
                        .collect(Collectors.joining("; "))) + " (and " + failedUnderSetBased + " of "
                        + run.setBasedTransactions().size() + " during the set-based copy)", "0", met(failed.isEmpty())));
        results.add(List.of("longest legacy write around the cut-over (±1 s of its locks)", "**" + Bench.ms(cutOverMs) + "**"
                        + (cutOverLongest == null ? "" : " (" + cutOverLongest.kind() + ")") + "; the import reports \"legacy writes blocked for "
                        + blocked + " ms\" (" + imported.cutOverRows() + " changed rows carried over in the cut-over)",
                "≤ 500 ms", met(cutOverMs <= GOAL_CUT_OVER_WRITE_MS)));
        results.add(List.of("longest legacy write during the whole import", longest == null ? "none"
                : Bench.ms(longest.millis()) + " (" + longest.kind() + ", in phase \"" + phases(run).stream().filter(p -> p.holds(longest))
                .map(Phase::name).findFirst().orElse("?") + "\")", "", ""));
        results.add(List.of("pending after the import (written after the cut-over)", String.format(Locale.ROOT,
                "%,d legacy rows; the second import carried them over in %s (cut-over: %d changed rows, blocked %d ms)", run.pendingAfterImport(),
                Bench.seconds(run.second().millis()), run.second().cutOverRows(), run.second().blockedMillis()), "", ""));
        results.add(List.of("`verify` after the second import", Bench.seconds(run.verifyMillis()) + ", " + run.verified().checks().size()
                + " checks, " + (run.verified().clean() ? "no differences" : "DIFFERENCES"), "clean", met(run.verified().clean())));
        results.add(List.of("`rollback`", Bench.seconds(run.rollbackMillis()) + ", " + run.carriedBack()
                + " rows carried back; legacy tables equal by content hash to when the writers stopped: " + run.rollbackEqual(),
                "equal", met(run.rollbackEqual())));
        doc.append(Bench.table(List.of("what", "result", "goal", ""), results));

        doc.append("\nThe legacy app's transactions by phase (by when they started; the import's phases from the times it printed "
                + "its lines; latency from the first statement to the end of the commit):\n\n");
        List<List<String>> phaseRows = new ArrayList<>();
        for (Phase phase : phases(run)) {
            List<Double> ok = millis(all, tx -> !tx.failed() && phase.holds(tx));
            long bad = all.stream().filter(tx -> tx.failed() && phase.holds(tx)).count();
            double seconds = (phase.to() - phase.from()) / 1e9;
            phaseRows.add(List.of(phase.name(), String.format(Locale.ROOT, "%.1f s", seconds), String.valueOf(ok.size()),
                    String.format(Locale.ROOT, "%.0f", seconds > 0 ? ok.size() / seconds : 0), latencies(ok), String.valueOf(bad)));
        }
        doc.append(Bench.table(List.of("phase", "length", "transactions", "per second", "p50 / p99 / max", "failed"), phaseRows));

        doc.append("\nWhat the import printed (first run):\n\n```\n");
        imported.lines().stream().filter(l -> !l.text().isBlank())
                .forEach(l -> doc.append(String.format(Locale.ROOT, "%+8.1f s  %s%n", (l.nanos() - imported.startNanos()) / 1e9, l.text())));
        doc.append("```\n\nImport report, per legacy table (first run):\n\n");
        List<List<String>> tables = new ArrayList<>();
        for (ImportReport.TableCount t : report.tables()) {
            tables.add(List.of(t.table(), String.format(Locale.ROOT, "%,d", t.legacy()), String.format(Locale.ROOT, "%,d", t.migrated()),
                    String.format(Locale.ROOT, "%,d", t.quarantined()), String.format(Locale.ROOT, "%,d", t.pending())));
        }
        doc.append(Bench.table(List.of("legacy table", "legacy", "migrated", "quarantined", "pending"), tables));
        return doc.toString();
    }
}
