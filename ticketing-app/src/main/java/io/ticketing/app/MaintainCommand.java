package io.ticketing.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ticketing.database.DatabaseErrors;
import io.ticketing.migration.legacy.LegacyImportState;
import io.ticketing.migration.schema.Maintenance;
import io.ticketing.migration.schema.Maintenance.Action;
import io.ticketing.migration.schema.Maintenance.Finding;
import io.ticketing.migration.schema.Maintenance.Severity;
import io.ticketing.migration.schema.SchemaMigrator;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code ticketing maintain}: the schema's upkeep (Step 6 of the guide) as one report, and the repairs it
 * can make online. Exit codes: 0 nothing wrong (advice may remain), 1 problems left after any repairs,
 * 2 usage, 3 the database could not be checked.
 */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = {"Check the database's upkeep: the seat and claim rules, summary drift, checkouts the sweeper could not "
                + "expire, event cancellations not progressing, the sales view's age, invalid, unused and bloated indexes, dead tuples and statistics, time in "
                + "triggers, the slowest statements; and repair what can be repaired online.",
                "Exit code: 0 healthy (advice may remain), 1 problems, 2 usage, 3 the database could not be checked."})
final class MaintainCommand implements Callable<Integer> {

    private static final String REINDEX = "maintain --reindex";
    /** As monitoring plugins' "unknown": the report could not be made. */
    static final int COULD_NOT_CHECK = 3;
    private static final long MAX_BLOAT_MIN_MEGABYTES = 16L * 1024 * 1024;
    /** Past it, "now minus the age" leaves the dates PostgreSQL keeps; no checkout waits a century. */
    private static final Duration MAX_AGE = Duration.ofDays(36_500);

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Option(names = "--repair", description = "Recount the summaries that drift, event by event, under the locks the application takes.")
    boolean repair;

    @Option(names = "--reindex", description = "Rebuild invalid and bloated indexes with REINDEX INDEX CONCURRENTLY, one at a time "
            + "(lock_timeout, retried).")
    boolean reindex;

    @Option(names = "--analyze", description = "ANALYZE every table of the schema, one at a time.")
    boolean analyze;

    @Option(names = "--refresh", description = "Refresh the sales analytics view now.")
    boolean refresh;

    @Option(names = "--json", description = "Print the report as JSON (for monitoring) instead of text.")
    boolean json;

    @Option(names = "--bloat-threshold", defaultValue = "50", paramLabel = "PERCENT",
            description = "An index (or table) is bloated past this estimated share of free space (default: ${DEFAULT-VALUE}).")
    int bloatPercent;

    @Option(names = "--bloat-min-size", defaultValue = "8", paramLabel = "MB",
            description = "Smaller indexes and tables are never reported as bloated (default: ${DEFAULT-VALUE}).")
    long bloatMinMegabytes;

    @Option(names = "--sales-view-max-age", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "The sales view is stale past this age, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration salesViewMaxAge;

    @Option(names = "--stuck-after", defaultValue = "PT5M", paramLabel = "DURATION",
            description = "An open checkout this long past its expiry, or a running event cancellation whose last batch is this "
                    + "old, is reported as stuck, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration stuckAfter;

    @Override
    public Integer call() throws SQLException {
        if (bloatPercent < 1 || bloatPercent > 99) {
            throw new ParameterException(spec.commandLine(), "--bloat-threshold must be from 1 to 99, got " + bloatPercent);
        }
        if (bloatMinMegabytes < 0 || salesViewMaxAge.isNegative() || stuckAfter.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--bloat-min-size, --sales-view-max-age and --stuck-after may not be negative");
        }
        if (bloatMinMegabytes > MAX_BLOAT_MIN_MEGABYTES) {
            throw new ParameterException(spec.commandLine(), "--bloat-min-size is at most " + MAX_BLOAT_MIN_MEGABYTES + " (MB, 16 TB)");
        }
        if (salesViewMaxAge.compareTo(MAX_AGE) > 0 || stuckAfter.compareTo(MAX_AGE) > 0) {
            throw new ParameterException(spec.commandLine(), "--sales-view-max-age and --stuck-after are at most " + MAX_AGE.toDays() + " days");
        }
        PrintWriter out = spec.commandLine().getOut();
        Maintenance.Settings defaults = Maintenance.Settings.defaults();
        Maintenance.Settings settings = new Maintenance.Settings(bloatPercent / 100.0, bloatMinMegabytes * 1024 * 1024,
                defaults.deadTupleRatio(), defaults.deadTupleMin(), salesViewMaxAge, stuckAfter, defaults.lockTimeout(), defaults.retries());
        try {
            return report(out, settings);
        } catch (CliException e) {
            if (e.exitCode() == CliException.USAGE) {
                throw e;
            }
            throw couldNotCheck(out, e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            throw couldNotCheck(out, DatabaseErrors.oneLine(e), e);
        }
    }

    /**
     * The database could not be checked (unreachable, not this version's schema, a check that failed): exit 3, apart
     * from "problems found" (1), as monitoring tells "unknown" from "critical"; --json says why on stdout too.
     */
    private CliException couldNotCheck(PrintWriter out, String why, Exception cause) {
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("database", database.describe());
            report.put("healthy", false);
            report.put("checked", false);
            report.put("error", why);
            println(out, report);
        }
        return new CliException(why, COULD_NOT_CHECK, cause);
    }

    private Integer report(PrintWriter out, Maintenance.Settings settings) throws SQLException {
        try (RunDatabase db = RunDatabase.open(database)) {
            if (reindex) {
                db.requireSessionState(REINDEX);
            }
            LegacyImportState legacy = legacyImportState(db);
            if (!new SchemaMigrator(db.dataSource()).isCurrent()) {
                // Beside the legacy app's tables, `legacy import` migrates; `migrate` would not make it servable.
                throw new CliException(legacy.servable() ? db.notCurrent() : legacy.detail(), null);
            }
            Maintenance maintenance = new Maintenance(db.dataSource(), settings);
            // The import builds its indexes and recounts the summaries itself once it has copied: until its cut-over
            // the report says so, and each repair asked for is refused in it.
            Optional<String> readOnly = readOnly(db);
            List<Action> actions = !legacy.servable() ? refusedRepairs(legacy.detail())
                    : readOnly.isPresent() ? refusedRepairs("this session is read-only (" + readOnly.get() + "): run the repairs against the primary")
                    : repairs(db, maintenance, settings);
            List<Finding> findings = new ArrayList<>(withProgress("checks", Maintenance.SECTIONS.size(), maintenance::check));
            findings.add(0, legacyImport(legacy));
            if (legacy.servable()) {
                legacyChangesAfterCutOver(db).ifPresent(finding -> findings.add(1, finding));
            }
            long problems = findings.stream().filter(f -> f.severity() == Severity.PROBLEM).count()
                    + actions.stream().filter(a -> !a.done()).count();
            long advice = findings.stream().filter(f -> f.severity() == Severity.ADVICE).count();
            if (json) {
                printJson(out, db.description(), findings, actions, problems, advice);
            } else {
                printText(out, db.description(), findings, actions, problems, advice);
            }
            out.flush();
            return problems == 0 ? 0 : 1;
        }
    }

    private List<Action> repairs(RunDatabase db, Maintenance maintenance, Maintenance.Settings settings) throws SQLException {
        List<Action> actions = new ArrayList<>();
        if (repair) {
            actions.addAll(refusedAs("recount the drifting summaries", () -> withProgress("summaries", 0, maintenance::repairSummaries)));
        }
        if (reindex) {
            // REINDEX CONCURRENTLY cannot run in a transaction, so its lock_timeout is a session's SET.
            actions.addAll(db.withSessionState(REINDEX,
                    dataSource -> withProgress("indexes", 0, new Maintenance(dataSource, settings)::reindex)));
        }
        if (analyze) {
            actions.addAll(withProgress("analyze", 0, maintenance::analyze));
        }
        if (refresh) {
            actions.addAll(refusedAs("refresh event_sales_summary", () -> List.of(maintenance.refreshSalesView())));
        }
        return actions;
    }

    /** Each repair asked for, refused as a failed action of the report, {@code why}. */
    private List<Action> refusedRepairs(String why) {
        List<Action> refused = new ArrayList<>();
        List<Map.Entry<String, Boolean>> asked = List.of(Map.entry("--repair", repair), Map.entry("--reindex", reindex),
                Map.entry("--analyze", analyze), Map.entry("--refresh", refresh));
        asked.stream().filter(Map.Entry::getValue)
                .forEach(option -> refused.add(new Action("maintain " + option.getKey(), false, "refused: " + why)));
        return refused;
    }

    private interface Repair {
        List<Action> run() throws SQLException;
    }

    /** A repair this role may not make is a failed action in the report, not the end of it (--reindex and --analyze say so per index and table). */
    private static List<Action> refusedAs(String what, Repair repair) throws SQLException {
        try {
            return repair.run();
        } catch (SQLException e) {
            if (!DatabaseErrors.isPermissionDenied(e)) {
                throw e;
            }
            return List.of(new Action(what, false, DatabaseErrors.oneLine(e) + "; the objects' owner (or a member of its role) may"));
        }
    }

    /** A legacy import not yet cut over leaves rows, indexes and keys missing, which no check below would name. */
    private static Finding legacyImport(LegacyImportState legacy) {
        return new Finding("legacy import", "state", legacy.servable() ? Severity.OK : Severity.PROBLEM, legacy.servable() ? 0 : 1,
                legacy.detail(), List.of());
    }

    /**
     * After an import's cut-over, while the legacy tables are kept: legacy changes the new schema does not have (the
     * legacy app still writing), which `legacy verify` lists too.
     */
    private static Optional<Finding> legacyChangesAfterCutOver(RunDatabase db) throws SQLException {
        OptionalLong pending;
        try (Connection connection = db.dataSource().getConnection()) {
            pending = LegacyImportState.pendingLegacyChanges(connection);
        }
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        long changed = pending.getAsLong();
        return Optional.of(new Finding("legacy import", "legacy changes since the cut-over", changed == 0 ? Severity.OK : Severity.PROBLEM,
                changed, changed == 0 ? "none: the legacy app has not written since the import's latest catch-up"
                : "the legacy app changed legacy rows the new schema does not have: stop its writes; `ticketing legacy import` "
                + "carries them over while the new application has not written, `ticketing legacy verify` lists them",
                List.of()));
    }

    private static Optional<String> readOnly(RunDatabase db) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return Maintenance.readOnly(connection);
        }
    }

    private static LegacyImportState legacyImportState(RunDatabase db) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return LegacyImportState.of(connection);
        }
    }

    private interface Step<T> {
        T run(Consumer<String> progress) throws SQLException;
    }

    /** A progress bar on the terminal (never in --json, nor when the output is not a terminal). */
    private <T> T withProgress(String task, int steps, Step<T> step) throws SQLException {
        if (json || System.console() == null) {
            return step.run(name -> { });
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(String.format("%-10s", task)).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build()) {
            return step.run(name -> {
                bar.setExtraMessage(name);
                bar.step();
            });
        }
    }

    private static void printText(PrintWriter out, String database, List<Finding> findings, List<Action> actions,
                                  long problems, long advice) {
        out.println("Database: " + database);
        for (Action action : actions) {
            out.printf("%-8s %s: %s%n", action.done() ? "done" : "FAILED", action.what(), action.detail());
        }
        String section = "";
        for (Finding finding : findings) {
            if (!finding.section().equals(section)) {
                section = finding.section();
                out.println();
                out.println(section);
            }
            String mark = switch (finding.severity()) {
                case OK -> "ok";
                case ADVICE -> "advice";
                case PROBLEM -> "PROBLEM";
            };
            out.printf("  %-8s %s%s: %s%n", mark, finding.check(),
                    finding.severity() == Severity.OK || finding.count() == 0 ? "" : " (" + finding.count() + ")", finding.detail());
            finding.examples().forEach(example -> out.println("             " + example));
            if (finding.severity() != Severity.OK && finding.count() > finding.examples().size() && !finding.examples().isEmpty()) {
                out.println("             … and " + (finding.count() - finding.examples().size()) + " more");
            }
        }
        out.println();
        out.println(problems == 0
                ? "Healthy" + (advice == 0 ? "." : " (" + advice + " advice).")
                : problems + " problem" + (problems == 1 ? "" : "s") + (advice == 0 ? "" : ", " + advice + " advice")
                + ". --repair, --reindex, --analyze and --refresh fix what can be fixed online.");
    }

    private static void printJson(PrintWriter out, String database, List<Finding> findings, List<Action> actions,
                                  long problems, long advice) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("database", database);
        report.put("healthy", problems == 0);
        report.put("checked", true); // as the report of a database that could not be checked says false
        report.put("problems", problems);
        report.put("advice", advice);
        report.put("actions", actions);
        report.put("findings", findings);
        println(out, report);
    }

    private static void println(PrintWriter out, Map<String, Object> report) {
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report could not be written as JSON", e);
        }
    }
}
