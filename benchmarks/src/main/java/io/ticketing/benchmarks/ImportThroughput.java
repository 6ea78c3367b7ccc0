package io.ticketing.benchmarks;

import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.LegacyRollback;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code import-throughput}: LegacyImporter (keyset batches, quarantine classification,
 * checkpoints, reconcile, catch-up, summary recount and view refresh) vs the set-based copy of the
 * same legacy rows ({@link SetBasedCopy}: one {@code INSERT … SELECT} per target table, into scratch
 * copies of the target tables), on a quiet server.
 */
public final class ImportThroughput {

    private static final String USAGE = "import-throughput [--sizes 100000,1000000] [--runs 3] [--runs-above-100k 1]";

    private ImportThroughput() {
    }

    /** The importer's steps in order (ImportStep kinds), the legacy table(s) each reads, and how the report names them. */
    static final List<String[]> STEPS = List.of(
            new String[]{"user", "User", "\"User\""},
            new String[]{"event", "Event", "\"Event\""},
            new String[]{"seat", "Seat", "\"Seat\""},
            new String[]{"booking", "Booking", "\"Booking\""},
            new String[]{"payment_session", "PaymentSession", "\"PaymentSession\", \"_PaymentSessionToSeat\""},
            new String[]{"ticket", "Ticket", "\"Ticket\""});

    /** Per run: step (legacy table) → milliseconds. */
    record SizeResult(LegacyFixture.Generated generated, Map<String, Long> stepRows, List<LegacyFixture.Imported> importer,
                      List<LegacyFixture.Imported> oneWorker, List<Map<String, Double>> importerSteps, List<Double> setBased,
                      List<Map<String, Double>> setBasedSteps, long rowsWritten) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "sizes", "runs", "runs-above-100k");
        List<Integer> sizes = Bench.intList(options.getOrDefault("sizes", "100000,1000000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        // a 1M-seat import takes about 7 minutes here: one of each keeps the benchmark under 15 minutes
        int runsAbove100k = Integer.parseInt(options.getOrDefault("runs-above-100k", "1"));
        String command = Bench.command("benchmarks/run import-throughput " + String.join(" ", args));
        try (Server server = Server.embedded()) {
            String machine = server.machineLine();
            System.out.println(machine);
            List<SizeResult> results = new ArrayList<>();
            for (int size : sizes) {
                results.add(runSize(server, size, size <= 100_000 ? runs : runsAbove100k));
            }
            String doc = document(machine, command, results);
            System.out.println();
            System.out.println(doc);
            Bench.writeSection("import-throughput", doc);
        }
    }

    private static SizeResult runSize(Server server, int size, int runs) throws SQLException {
        System.out.printf("%n=== %,d seats ===%n", size);
        String database = "import_" + size;
        LegacyFixture.Generated generated = LegacyFixture.generate(server, database, size);
        var dataSource = server.dataSource(database);
        int importerRuns = runs;
        int setBasedRuns = runs;
        List<LegacyFixture.Imported> importer = new ArrayList<>();
        List<LegacyFixture.Imported> oneWorker = new ArrayList<>();
        List<Double> setBased = new ArrayList<>();
        List<Map<String, Double>> importerSteps = new ArrayList<>();
        List<Map<String, Double>> setBasedSteps = new ArrayList<>();
        Map<String, Long> stepRows = new LinkedHashMap<>();
        long written = 0;
        try {
            try (Connection c = server.connect(database)) {
                for (String[] step : STEPS) {
                    long rows = 0;
                    for (String table : step[2].split(", ")) {
                        rows += Bench.count(c, "SELECT count(*) FROM public." + table);
                    }
                    stepRows.put(step[1], rows);
                }
            }
            for (int run = 1; run <= importerRuns; run++) {
                if (run > 1) {
                    new LegacyRollback(dataSource, new PrintStream(OutputStream.nullOutputStream())).run();
                }
                try (Connection c = server.connect(database)) {
                    Bench.execute(c, "CHECKPOINT");
                }
                importer.add(LegacyFixture.importAll(dataSource));
                try (Connection c = server.connect(database)) {
                    importerSteps.add(importerStepMillis(c));
                    System.out.println("importer per step: " + importerSteps.get(importerSteps.size() - 1));
                }
                // the same import copying on one connection, to show what the default's workers give
                new LegacyRollback(dataSource, new PrintStream(OutputStream.nullOutputStream())).run();
                try (Connection c = server.connect(database)) {
                    Bench.execute(c, "CHECKPOINT");
                }
                System.out.println("the same import with --workers 1:");
                oneWorker.add(LegacyFixture.importAll(dataSource, ImportOptions.defaults().withWorkers(1)));
                // set-based runs interleave with the importer's, so that both see the same machine
                try (Connection c = server.connect(database)) {
                    int count = run == importerRuns ? setBasedRuns - setBased.size() : setBasedRuns / importerRuns;
                    for (int i = 0; i < count; i++) {
                        SetBasedCopy.Result copy = SetBasedCopy.run(c);
                        setBased.add(copy.millis());
                        setBasedSteps.add(copy.steps());
                        System.out.println("set-based per step: " + copy.steps());
                        written = copy.rowsWritten();
                        System.out.printf("set-based INSERT … SELECT: %s, %s legacy rows/s (%d rows written)%n", Bench.seconds(copy.millis()),
                                Bench.perSecond(generated.legacyRows(), copy.millis()), written);
                    }
                }
            }
        } finally {
            server.dropDatabase(database);
        }
        return new SizeResult(generated, stepRows, importer, oneWorker, importerSteps, setBased, setBasedSteps, written);
    }

    /**
     * How long each of the importer's table steps took, from its checkpoints: a step ends with its last
     * checkpoint (progress.updated_at, the time its transaction began, right after the step's last batches),
     * and starts where the previous one ended (the first: when the import began).
     */
    private static Map<String, Double> importerStepMillis(Connection c) throws SQLException {
        Map<String, Double> millis = new LinkedHashMap<>();
        double previous = ((Number) Bench.single(c, "SELECT extract(epoch FROM started_at) * 1000 FROM ticketing_import.run")).doubleValue();
        for (String[] step : STEPS) {
            // The step's last checkpoint of any worker (their rows are "seat 1/2", "seat 2/2", …).
            double end = ((Number) Bench.single(c, "SELECT extract(epoch FROM max(updated_at)) * 1000 FROM ticketing_import.progress "
                    + "WHERE split_part(step, ' ', 1) = ?", step[0])).doubleValue();
            millis.put(step[1], end - previous);
            previous = end;
        }
        return millis;
    }

    private static String document(String machine, String command, List<SizeResult> results) {
        StringBuilder doc = new StringBuilder();
        doc.append("## Legacy import throughput vs one set-based INSERT … SELECT\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server settings: ").append(Bench.settings()).append(".\n\n");
        doc.append(String.format(Locale.ROOT, """
                Same generated legacy database (LegacyDataGenerator, seed 1), same server. **Importer**: `LegacyImporter` with
                default options (keyset batches of %,d rows, one transaction and checkpoint per batch, quarantine
                classification, reconcile of seat statuses, catch-up with the cut-over lock, `event_summary` recount, view
                refresh) into schema `ticketing`, as a bulk copy (a superuser: triggers off, non-unique indexes built after
                each table, one audit entry per event and batch, foreign keys checked once at the end); runs after the
                first start from a `LegacyRollback`. Its copy phase is the time it prints as "copied in". **Set-based**: one
                `INSERT … SELECT` per table, all in one transaction, of the same legacy rows into scratch tables
                `CREATE TABLE scratch.x (LIKE ticketing.x INCLUDING ALL)` (same columns, checks and indexes; no foreign keys,
                no triggers), with the importer's own mapping functions (`legacy_uuid`, `map_status`, `decode_seats`) and no
                quarantine (unmappable rows skipped, conflicts ignored). Rows/s = legacy rows read (all seven tables) per
                second of wall time; the ratio is set-based rows/s over importer rows/s (medians of the runs: each importer run
                followed by the same import on one connection (`--workers 1`, after a rollback) and a set-based run on the same
                data; one of each above 100k seats, where an import takes minutes). The importer copies on %d connections by
                default, each the rows of its share of the events.

                """, ImportOptions.DEFAULT_BATCH_SIZE, ImportOptions.DEFAULT_WORKERS));
        List<List<String>> rows = new ArrayList<>();
        for (SizeResult r : results) {
            double importMs = Bench.median(r.importer().stream().map(LegacyFixture.Imported::millis).toList());
            double copyMs = Bench.median(r.importer().stream().map(LegacyFixture.Imported::copyMillis).toList());
            double oneWorkerMs = Bench.median(r.oneWorker().stream().map(LegacyFixture.Imported::millis).toList());
            double setMs = Bench.median(r.setBased());
            long legacy = r.generated().legacyRows();
            rows.add(List.of(String.format(Locale.ROOT, "%,d", r.generated().seats()), String.format(Locale.ROOT, "%,d", legacy),
                    Bench.seconds(importMs) + " (" + r.importer().size() + " run" + (r.importer().size() > 1 ? "s" : "") + ")",
                    Bench.perSecond(legacy, importMs), Bench.seconds(copyMs), Bench.perSecond(legacy, copyMs),
                    Bench.seconds(oneWorkerMs), Bench.perSecond(legacy, oneWorkerMs), "**" + Bench.ratio(oneWorkerMs / importMs) + "**",
                    Bench.seconds(setMs) + " (" + r.setBased().size() + " run" + (r.setBased().size() > 1 ? "s" : "") + ")", Bench.perSecond(legacy, setMs),
                    "**" + Bench.ratio(importMs / setMs) + "**", Bench.ratio(copyMs / setMs)));
        }
        doc.append(Bench.table(List.of("seats", "legacy rows", "importer, all", "rows/s", "importer copy phase", "rows/s",
                "importer, 1 worker", "rows/s", "speed-up of the workers", "set-based", "rows/s", "ratio set-based / importer (all)",
                "ratio vs copy phase"), rows));
        for (SizeResult r : results) {
            doc.append(String.format(Locale.ROOT, "%nPer importer step at %,d seats (importer: from its checkpoints; set-based: the step's statements):%n%n",
                    r.generated().seats()));
            List<List<String>> steps = new ArrayList<>();
            for (String[] step : STEPS) {
                String name = step[1];
                long stepRows = r.stepRows().get(name);
                double imp = Bench.median(r.importerSteps().stream().map(m -> m.get(name)).toList());
                double set = Bench.median(r.setBasedSteps().stream().map(m -> m.get(name)).toList());
                steps.add(List.of(step[2].replace("\"", ""), String.format(Locale.ROOT, "%,d", stepRows), Bench.seconds(imp), Bench.perSecond(stepRows, imp),
                        Bench.seconds(set), Bench.perSecond(stepRows, set), "**" + Bench.ratio(imp / set) + "**"));
            }
            doc.append(Bench.table(List.of("legacy table(s)", "rows", "importer", "rows/s", "set-based", "rows/s", "ratio"), steps));
        }
        doc.append("\nRows the set-based copy wrote at the largest size (eight tables, booked_seat included): ")
                .append(String.format(Locale.ROOT, "%,d", results.get(results.size() - 1).rowsWritten())).append(".\n");
        return doc.toString();
    }
}
