package io.ticketing.benchmarks;

import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.legacy.ImportReport;
import io.ticketing.migration.legacy.LegacyRollback;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.migration.legacy.LegacyVerifier;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code legacy-import-1m}: issue 7's must-show. On a generated legacy database (1M seats by
 * default): {@code import}, {@code verify} and {@code rollback} through the same classes the
 * {@code ./ticketing legacy …} commands run, each timed; verify must be clean and the rollback must
 * give back legacy tables equal by content hash to the ones before the import.
 */
public final class LegacyImportAtScale {

    private static final String USAGE = "legacy-import-1m [--seats 1000000]";

    private LegacyImportAtScale() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "seats");
        int seats = Integer.parseInt(options.getOrDefault("seats", "1000000"));
        String command = Bench.command("benchmarks/run legacy-import-1m " + String.join(" ", args));
        try (LocalPostgres server = Bench.startServer()) {
            String machine = Bench.machineLine(server);
            System.out.println(machine);
            String database = "legacy_" + seats;
            LegacyFixture.Generated generated = LegacyFixture.generate(server, database, seats);
            var dataSource = Bench.dataSource(server, database);
            Map<String, String> before;
            long hashStart = System.nanoTime();
            try (Connection c = Bench.connect(server, database)) {
                before = LegacySchema.contentHashes(c);
                Bench.execute(c, "CHECKPOINT");
            }
            System.out.println("content hashes of the legacy tables in " + Bench.seconds(Bench.millisSince(hashStart)));

            LegacyFixture.Imported imported = LegacyFixture.importAll(dataSource);
            ImportReport report = imported.report();
            long migrated = report.tables().stream().mapToLong(ImportReport.TableCount::migrated).sum();
            long quarantined = report.tables().stream().mapToLong(ImportReport.TableCount::quarantined).sum();

            long verifyStart = System.nanoTime();
            LegacyVerifier.Result verified = new LegacyVerifier(dataSource).run();
            double verifyMs = Bench.millisSince(verifyStart);
            verified.print(System.out);
            if (!verified.clean()) {
                throw new IllegalStateException("verify found differences after the import");
            }

            long rollbackStart = System.nanoTime();
            Map<String, Long> carried = new LegacyRollback(dataSource, System.out).run();
            double rollbackMs = Bench.millisSince(rollbackStart);
            Map<String, String> after;
            try (Connection c = Bench.connect(server, database)) {
                after = LegacySchema.contentHashes(c);
            }
            boolean equal = before.equals(after);
            System.out.println("legacy tables after rollback equal to before the import (content hashes): " + equal);
            if (!equal) {
                throw new IllegalStateException("rollback did not give back the legacy tables: " + before + " vs " + after);
            }

            long legacyRows = generated.legacyRows();
            StringBuilder doc = new StringBuilder();
            doc.append("## Legacy import at 1M seats: import, verify, rollback (issue 7)\n\n");
            doc.append("```\n").append(command).append("\n```\n\n");
            doc.append(machine).append(". Server settings: ").append(Bench.settings()).append(".\n\n");
            doc.append(String.format(Locale.ROOT, """
                    A generated legacy database of %,d seats (LegacyDataGenerator, seed 1; generated in %s): %s, %,d legacy
                    rows in all. Then, through the classes behind `./ticketing legacy import|verify|rollback` (default
                    options: batches of 1000, currency EUR, catch-up on): import, verify, rollback, each timed on its own.
                    Rows/s = legacy rows (all seven tables) per second of the step's wall time.

                    """, generated.seats(), Bench.seconds(generated.millis()), generated.rowsByTable(), legacyRows));
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("`import`", Bench.seconds(imported.millis()), Bench.perSecond(legacyRows, imported.millis()),
                    String.format(Locale.ROOT, "%,d rows migrated, %,d quarantined, adds up: %s; copy phase %s (%s rows/s)",
                            migrated, quarantined, report.addsUp(), Bench.seconds(imported.copyMillis()),
                            Bench.perSecond(legacyRows, imported.copyMillis()))));
            rows.add(List.of("`verify`", Bench.seconds(verifyMs), Bench.perSecond(legacyRows, verifyMs),
                    verified.checks().size() + " checks, " + (verified.clean() ? "no differences" : "DIFFERENCES")));
            rows.add(List.of("`rollback`", Bench.seconds(rollbackMs), Bench.perSecond(legacyRows, rollbackMs),
                    "rows carried back: " + carried.values().stream().mapToLong(Long::longValue).sum()
                            + " (none were written in the new schema); legacy tables equal to before the import by content hash: " + equal));
            doc.append(Bench.table(List.of("step", "wall time", "legacy rows/s", "result"), rows));
            doc.append("\nImport report, per legacy table:\n\n");
            List<List<String>> tables = new ArrayList<>();
            for (ImportReport.TableCount t : report.tables()) {
                tables.add(List.of(t.table(), String.format(Locale.ROOT, "%,d", t.legacy()), String.format(Locale.ROOT, "%,d", t.migrated()),
                        String.format(Locale.ROOT, "%,d", t.quarantined())));
            }
            doc.append(Bench.table(List.of("legacy table", "legacy", "migrated", "quarantined"), tables));
            System.out.println();
            System.out.println(doc);
            Bench.writeSection("legacy-import-1m", doc.toString());
        }
    }
}
