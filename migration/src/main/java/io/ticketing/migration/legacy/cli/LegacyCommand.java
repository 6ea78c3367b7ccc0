package io.ticketing.migration.legacy.cli;

import io.ticketing.database.DatabaseErrors;
import io.ticketing.domain.model.VisibleText;
import io.ticketing.migration.ServerOptions;
import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.ImportReport;
import io.ticketing.migration.legacy.Jdbc;
import io.ticketing.migration.legacy.LegacyDataGenerator;
import io.ticketing.migration.legacy.LegacyFinalizer;
import io.ticketing.migration.legacy.LegacyImportState;
import io.ticketing.migration.legacy.LegacyImporter;
import io.ticketing.migration.legacy.LegacyPlanner;
import io.ticketing.migration.legacy.LegacyRollback;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.migration.legacy.LegacyVerifier;
import io.ticketing.migration.schema.SchemaMigrator;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ticketing legacy plan|import|verify|rollback|finalize}: moves a legacy Prisma database
 * to the optimized schema (docs/operator-guide.md). Register it as a subcommand of the
 * application's top command: {@code new CommandLine(top).addSubcommand(new LegacyCommand())}, or
 * {@code @Command(subcommands = LegacyCommand.class)}.
 *
 * <p>Exit codes: 0 success; 1 differences found (verify, finalize refused), finalize not confirmed,
 * or the work failed (the database unreachable, …); 2 usage errors (missing database, bad option).
 * Every failure is one line on stderr; {@code --stacktrace} (an option of {@code ticketing}) adds
 * the stack trace.
 */
@Command(name = "legacy", mixinStandardHelpOptions = true,
        description = "Move a legacy (Prisma) ticketing database to the optimized schema: plan, import, verify, rollback, finalize.",
        subcommands = {LegacyCommand.Plan.class, LegacyCommand.Import.class, LegacyCommand.Verify.class,
                LegacyCommand.Rollback.class, LegacyCommand.Finalize.class, LegacyCommand.Generate.class})
public final class LegacyCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int DIFFERENCES = 1;
    public static final int USAGE = 2;

    static final int CONNECT_TIMEOUT_SECONDS = 5;
    static final int LOGIN_TIMEOUT_SECONDS = 10;
    /** The subcommands that keep session state across transactions, and so go past a transaction pooler. */
    private static final Set<String> SESSION_BOUND = Set.of("plan", "generate");

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The database holding the legacy tables: the same options as every other command's. */
    @Mixin
    ServerOptions server;

    /** Without a subcommand: a usage error of one line on stderr, as for `ticketing` alone (`--help` lists them). */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: one of "
                + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    }

    /**
     * The database a subcommand works on. Behind a transaction pooler ({@code --db-pooled}) {@code import},
     * {@code verify}, {@code rollback} and {@code finalize} go through it (they keep nothing of a session between
     * transactions); {@code plan} and {@code generate} go to {@code --db-direct-url}: the rehearsal keeps its
     * temporary tables across transactions, and the generator its temporary functions.
     */
    DataSource dataSource(String subcommand) {
        if (!server.given()) {
            throw new UsageProblem("no database: give --db-url or set TICKETING_DB_URL (e.g. jdbc:postgresql://localhost:5432/shop)");
        }
        server.misconfigured().ifPresent(problem -> {
            throw new UsageProblem(problem);
        });
        if (!SESSION_BOUND.contains(subcommand)) {
            return dataSource(server.url, server.pooled);
        }
        return dataSource(server.sessionUrl().orElseThrow(() -> new UsageProblem(ServerOptions.noSessionUrl("legacy " + subcommand))), false);
    }

    /**
     * An option of the database given both before the subcommand and after it ({@code legacy --db-url A verify --db-url
     * B}): picocli keeps the last one without a word, and which one was meant is a guess; as given twice in one place.
     */
    void requireEachOptionOnce(CommandLine.Model.CommandSpec subcommand) {
        CommandLine.ParseResult before = spec.commandLine().getParseResult();
        CommandLine.ParseResult after = subcommand.commandLine().getParseResult();
        for (CommandLine.Model.OptionSpec option : spec.mixins().get("server").options()) {
            if (before.hasMatchedOption(option.longestName()) && after.hasMatchedOption(option.longestName())) {
                throw new UsageProblem(option.longestName() + " was given before `" + subcommand.name() + "` and after it: give it once");
            }
        }
    }

    /** Behind a pooler with a direct URL: both reach one database, or the command is refused before it does anything. */
    void requireOneDatabase() throws SQLException {
        if (!server.pooled || server.sessionUrl().isEmpty()) {
            return;
        }
        DataSource direct = sessionDataSource().orElseThrow();
        try (Connection reachable = direct.getConnection()) {
            // failures below are described with --db-url: name the direct URL's own here
        } catch (SQLException e) {
            throw new Failure(DatabaseErrors.describe(e, server.directUrl, "--db-direct-url"));
        }
        ServerOptions.differentDatabases(dataSource(server.url, true), direct).ifPresent(problem -> {
            throw new UsageProblem(problem);
        });
    }

    /** The server itself, for the work that keeps session state (Flyway's lock); empty behind a pooler without a direct URL. */
    Optional<DataSource> sessionDataSource() {
        return server.sessionUrl().map(url -> dataSource(url, false));
    }

    private DataSource dataSource(String dbUrl, boolean pooled) {
        ServerOptions.malformed(dbUrl.equals(server.url) ? "--db-url" : "--db-direct-url", dbUrl).ifPresent(problem -> {
            throw new UsageProblem(problem);
        });
        // Behind a transaction pooler a session's SET would stay with a server connection that other clients get next.
        PGSimpleDataSource dataSource = pooled ? new PGSimpleDataSource() : new LegacySessions();
        // Bounds on opening a connection, so that a host that drops packets, or a server that is not
        // PostgreSQL, fails in seconds instead of hanging; parameters in the URL take precedence.
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        if (pooled) {
            // No server-side prepared statements: the next transaction may run on another server connection.
            dataSource.setPrepareThreshold(0);
        }
        dataSource.setUrl(dbUrl);
        if (server.user != null && !server.user.isBlank()) {
            dataSource.setUser(server.user);
        }
        if (server.password != null && !server.password.isBlank()) {
            dataSource.setPassword(server.password);
        }
        dataSource.setApplicationName("ticketing legacy");
        return dataSource;
    }

    /**
     * The legacy commands' sessions on the server itself. Without the statement_timeout that a role or database may set
     * (ALTER ROLE … SET statement_timeout): the import's bulk statements take as long as the data takes, and a timeout set
     * for an application's queries would cancel them. Set for the session, so that a statement's own SET LOCAL still
     * bounds it; one that --db-url's options set (source client) is the operator's, and kept. With
     * client_connection_check_interval (PostgreSQL 14 and later, where the server's system offers it): a command killed
     * (kill -9, a lost host) while one of its statements runs or waits for a lock has that statement stopped within a
     * second, its locks released, rather than running on to its end and holding the legacy app's writes meanwhile.
     */
    private static final class LegacySessions extends PGSimpleDataSource {
        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            Connection connection = super.getConnection(user, password);
            try {
                Jdbc.query(connection, "SELECT set_config(name, '0', false) FROM pg_settings WHERE name = 'statement_timeout' AND source <> 'client'");
                checkClientConnection(connection);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        }

        private static void checkClientConnection(Connection connection) throws SQLException {
            try {
                Jdbc.query(connection, "SELECT set_config(name, '1s', false) FROM pg_settings "
                        + "WHERE name = 'client_connection_check_interval' AND setting = '0' AND source <> 'client'");
            } catch (SQLException e) {
                // A server whose system cannot watch the connection refuses any value but 0: it keeps PostgreSQL's behaviour.
                if (!DatabaseErrors.isInvalidParameterValue(e)) {
                    throw e;
                }
            }
        }
    }

    /** A mistake of the operator's: one line on stderr, exit code 2. */
    static final class UsageProblem extends RuntimeException {
        UsageProblem(String message) {
            super(message);
        }
    }

    /** Runs a subcommand's work with the common error handling. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        LegacyCommand parent;
        @Spec
        CommandLine.Model.CommandSpec spec;

        abstract int work(DataSource dataSource, PrintStream out) throws Exception;

        /** How to go on once a signal (Ctrl-C, SIGTERM) ended the command, after "legacy … interrupted; ". */
        abstract String afterInterruption();

        /** Whether a progress bar may leave the last line of stderr open, so that the interruption starts a line of its own. */
        boolean drawsProgress() {
            return false;
        }

        /** Notes of waits and retries: beside the progress bars, on stderr, seen even when the report goes to a file. */
        PrintStream notes() {
            return new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
        }

        @Override
        public final Integer call() {
            PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            // Ctrl-C or a SIGTERM ends the JVM: the transaction in flight rolls back with its connection; say how to go on.
            Thread interrupted = new Thread(() -> System.err.println((drawsProgress() ? System.lineSeparator() : "")
                    + "ticketing: legacy " + spec.name() + " interrupted; " + afterInterruption()), "legacy-interrupted");
            Runtime.getRuntime().addShutdownHook(interrupted);
            try {
                parent.requireEachOptionOnce(spec);
                DataSource dataSource = parent.dataSource(spec.name());
                parent.requireOneDatabase();
                return work(dataSource, out);
            } catch (UsageProblem | IllegalArgumentException e) {
                return fail(e, e.getMessage(), USAGE);
            } catch (Failure e) {
                return fail(e, e.getMessage(), DIFFERENCES);
            } catch (Exception e) {
                String url = SESSION_BOUND.contains(spec.name()) ? parent.server.sessionUrl().orElse(parent.server.url) : parent.server.url;
                return fail(e, DatabaseErrors.describe(e, url), DIFFERENCES);
            } finally {
                removeHook(interrupted);
                out.flush();
            }
        }

        /** One line on stderr (and the stack trace with {@code --stacktrace}, an option of {@code ticketing}); returns {@code code}. */
        private int fail(Exception e, String message, int code) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ticketing: " + VisibleText.escapeLineBreaking(message)); // what the operator gave, shown, not played
            CommandLine.Model.OptionSpec stacktrace = spec.findOption("--stacktrace");
            if (stacktrace != null && Boolean.TRUE.equals(stacktrace.getValue())) {
                e.printStackTrace(err);
            }
            err.flush();
            return code;
        }
    }

    /** The work was refused or failed for a reason the message states: one line on stderr, exit code 1. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    abstract static class WithImportOptions extends Sub {
        @Option(names = "--batch-size", defaultValue = "" + ImportOptions.DEFAULT_BATCH_SIZE, description = "legacy rows per batch (one transaction each; default ${DEFAULT-VALUE})")
        int batchSize;
        @Option(names = "--currency", defaultValue = "EUR", description = "ISO 4217 currency of the legacy events (default ${DEFAULT-VALUE})")
        String currency;
        @Option(names = "--no-progress", description = "no progress bars (they go to stderr, with rates)")
        boolean noProgress;

        @Override
        boolean drawsProgress() {
            return !noProgress;
        }

        ImportOptions options(long throttleMs, Duration lockTimeout, int retries, boolean catchUp, int workers) {
            return new ImportOptions(batchSize, throttleMs, lockTimeout, retries, currency, !noProgress, catchUp, workers);
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Dry run: rehearse the import in temporary tables; print row counts, anomalies with examples, "
                    + "what would be quarantined, and an estimated time. Changes nothing.")
    static final class Plan extends WithImportOptions {
        @Override
        String afterInterruption() {
            return "it changes nothing (its rehearsal was in temporary tables): run `legacy plan` again";
        }

        @Override
        int work(DataSource dataSource, PrintStream out) throws Exception {
            LegacyPlanner.Plan plan = new LegacyPlanner(dataSource, options(0, Duration.ofSeconds(2), 5, false, 1), out, notes()).run();
            plan.print(out);
            if (!plan.report().addsUp()) {
                out.println("plan: some legacy rows would be neither migrated nor quarantined (column unaccounted), "
                        + "typically rows whose parent is missing from the legacy tables; the import would not finish clean");
                return DIFFERENCES;
            }
            return OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Create the optimized schema if needed and move the legacy data in resumable batches, then catch up "
                    + "with what the legacy app changed meanwhile (a write lock of seconds at most at the end).")
    static final class Import extends WithImportOptions {
        @Option(names = "--throttle-ms", defaultValue = "0", description = "pause between batches, to spare a busy database; at most " + ImportOptions.MAX_THROTTLE_MS + " (default ${DEFAULT-VALUE})")
        long throttleMs;
        @Option(names = "--lock-timeout", defaultValue = "2s", description = "lock_timeout of each batch, e.g. 500ms, 2s; at most 1 hour (default ${DEFAULT-VALUE})")
        String lockTimeout;
        @Option(names = "--retries", defaultValue = "5", description = "retries of a batch that hit the lock timeout; at most " + ImportOptions.MAX_RETRIES + " (default ${DEFAULT-VALUE})")
        int retries;
        @Option(names = "--no-catch-up", description = "copy only: skip the catch-up and the cut-over (run import again later to do them)")
        boolean noCatchUp;
        @Option(names = "--workers", defaultValue = "" + ImportOptions.DEFAULT_WORKERS,
                description = "connections that copy at once, each a share of the events; fixed at the first start (default ${DEFAULT-VALUE})")
        int workers;
        private volatile LegacyImporter importer;

        @Override
        String afterInterruption() {
            // Before the import's own schema exists, rollback would find nothing to roll back.
            LegacyImporter begun = importer;
            return "run `legacy import` again to resume (what it had not committed is redone)"
                    + (begun != null && begun.begun() ? ", or `legacy rollback`" : "");
        }

        @Override
        int work(DataSource dataSource, PrintStream out) throws Exception {
            // Refused before anything connects (the options check their bounds).
            ImportOptions options = options(throttleMs, parseDuration(lockTimeout), retries, !noCatchUp, workers);
            // Flyway's session lock needs the server itself; behind a pooler without its address, the schema must be current.
            DataSource migrations = parent.sessionDataSource().orElse(null);
            if (migrations == null && !new SchemaMigrator(dataSource).isCurrent()) {
                throw new UsageProblem(ServerOptions.noSessionUrl("legacy import migrating the schema")
                        + " (or run `ticketing migrate --db-direct-url …` first)");
            }
            importer = new LegacyImporter(dataSource, migrations, options, out, notes());
            ImportReport report = importer.run();
            report.print(out);
            String pending = report.pending() > 0 ? " (" + report.pending() + " changed since are pending)" : "";
            boolean cutOver = false;
            if (noCatchUp) {
                try (Connection connection = dataSource.getConnection()) {
                    cutOver = LegacyImportState.of(connection).servable(); // an earlier run's cut-over
                }
            }
            out.println(!report.addsUp() ? "import: done, but some legacy rows are unaccounted for (see above); run `legacy verify`"
                    : noCatchUp && cutOver ? "import: nothing copied, an earlier run cut over; every legacy row is migrated or quarantined"
                            + pending + (pending.isEmpty() ? "" : ": run `legacy import` without --no-catch-up to carry them over")
                    : noCatchUp ? "import: copy done; every legacy row is migrated or quarantined" + pending + "; the catch-up and the "
                            + "cut-over are still to do: run `legacy import` again without --no-catch-up when ready to switch"
                    : "import: done; every legacy row is migrated or quarantined" + pending);
            return report.addsUp() ? OK : DIFFERENCES;
        }
    }

    /** Forgets a shutdown hook whose work is over; during a shutdown that has begun, there is nothing to forget. */
    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran: what it says is still true
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Create the legacy tables in an EMPTY database and fill them with generated dirty data "
                    + "(every anomaly the import handles, in known amounts), to rehearse a migration.")
    static final class Generate extends Sub {
        /** The most seats generate makes: 200,000 events; a rehearsal of a bigger database takes a copy of it. */
        static final int MAX_SEATS = 100_000_000;

        @Option(names = "--seats", defaultValue = "10000",
                description = "seats to generate, from " + LegacyDataGenerator.MIN_SEATS + " to " + MAX_SEATS + ", in whole events of "
                        + LegacyDataGenerator.SEATS_PER_EVENT + ": another count is rounded up, with a note (default ${DEFAULT-VALUE})")
        int seats;
        @Option(names = "--seed", defaultValue = "1", description = "the same seed generates the same data (default ${DEFAULT-VALUE})")
        long seed;

        @Override
        String afterInterruption() {
            return "it writes in one transaction: the database is as empty as before, run `legacy generate` again";
        }

        @Override
        int work(DataSource dataSource, PrintStream out) throws Exception {
            if (seats < LegacyDataGenerator.MIN_SEATS || seats > MAX_SEATS) {
                throw new UsageProblem("--seats must be from " + LegacyDataGenerator.MIN_SEATS + " to " + MAX_SEATS
                        + " (whole events of " + LegacyDataGenerator.SEATS_PER_EVENT + " seats), got " + seats);
            }
            try (var connection = dataSource.getConnection()) {
                String tables;
                try (var statement = connection.createStatement(); var rows = statement.executeQuery("""
                        SELECT string_agg(table_name, ', ' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'""")) {
                    rows.next();
                    tables = rows.getString(1);
                }
                if (tables != null) {
                    throw new Failure("generate needs an EMPTY database; schema public here has tables: " + tables);
                }
                String schemas = LegacySchema.migrationSchemas(connection);
                if (schemas != null) {
                    throw new Failure("generate needs an EMPTY database; this one holds schema " + schemas
                            + " of an import (with the new application's data, maybe): use another database");
                }
                // What the legacy schema's script and the generator's temporary functions need: named up front, as the
                // other commands do, rather than the first "permission denied" of a statement.
                Map<String, Object> privileges = Jdbc.query(connection, """
                        SELECT current_user AS role, string_agg(what, ', ' ORDER BY k) AS lacking FROM (VALUES
                            (1, 'CREATE on database ' || current_database(), has_database_privilege(current_database(), 'CREATE')),
                            (2, 'CREATE on schema public', to_regnamespace('public') IS NULL OR has_schema_privilege('public', 'CREATE')),
                            (3, 'TEMPORARY on database ' || current_database(), has_database_privilege(current_database(), 'TEMPORARY'))
                        ) p (k, what, held) WHERE NOT held""").get(0);
                if (privileges.get("lacking") != null) {
                    throw new Failure("generate refused, nothing changed: role " + privileges.get("role") + " lacks " + privileges.get("lacking")
                            + "; grant them, or run it as the database's owner");
                }
                if (LegacyDataGenerator.seatsGenerated(seats) != seats) {
                    out.printf("note: --seats %d rounded up to %d, whole events of %d seats%n", seats,
                            LegacyDataGenerator.seatsGenerated(seats), LegacyDataGenerator.SEATS_PER_EVENT);
                }
                long started = System.nanoTime();
                // The tables and their rows in one transaction: an interrupted run leaves the database as empty as it found it.
                connection.setAutoCommit(false);
                LegacySchema.create(connection);
                LegacyDataGenerator.Planted planted = LegacyDataGenerator.generate(connection, seats, seed);
                connection.commit(); // the statistics generate takes after its own commit
                out.printf("legacy database generated in %.1f s; planted:%n", (System.nanoTime() - started) / 1e9);
                planted.anomalies().forEach((kind, n) -> out.printf("  %-55s %8d%n", kind, n));
            }
            return OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Row-by-row parity between the legacy tables and the new schema; exit 1 on any difference.")
    static final class Verify extends Sub {
        @Override
        String afterInterruption() {
            return "it changes nothing: run `legacy verify` again";
        }

        @Override
        int work(DataSource dataSource, PrintStream out) throws Exception {
            LegacyVerifier.Result result = new LegacyVerifier(dataSource).run();
            result.print(out);
            return result.clean() ? OK : DIFFERENCES;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Back to the legacy state without a backup: carry what the new application sold since the cut-over "
                    + "back into the legacy tables, then drop the new schema and the import's state.")
    static final class Rollback extends Sub {
        @Option(names = "--overwrite-legacy-changes", description = "carry the new application's values back over columns of legacy "
                + "rows that the legacy app changed too after the cut-over, differently (without it rollback refuses them), listing "
                + "each one; a seat sold by both is refused all the same")
        boolean overwriteLegacyChanges;

        @Override
        String afterInterruption() {
            return "it changes the database in one transaction at its end, so nothing was rolled back unless it had said so: "
                    + "run `legacy rollback` again";
        }

        @Override
        int work(DataSource dataSource, PrintStream out) throws Exception {
            new LegacyRollback(dataSource, out, overwriteLegacyChanges).run();
            return OK;
        }
    }

    @Command(name = "finalize", mixinStandardHelpOptions = true,
            description = "Drop the legacy tables, only after a clean verify, after confirmation (or --yes).")
    static final class Finalize extends Sub {
        @Option(names = "--yes", description = "do not ask for confirmation")
        boolean yes;

        @Option(names = "--discard-legacy-changes", description = "discard the legacy changes not carried over (once the new "
                + "application has written, a repeat import refuses them): the new schema keeps its version, each changed legacy "
                + "row is kept as the legacy app left it in ticketing_import.discarded_change")
        boolean discardLegacyChanges;

        @Override
        String afterInterruption() {
            return "it drops the legacy tables in one transaction at its end, so they are all still there unless it had said "
                    + "they were dropped: run `legacy finalize` again";
        }

        @Override
        int work(DataSource dataSource, PrintStream out) throws Exception {
            return switch (new LegacyFinalizer(dataSource, out).run(() -> yes || confirm(out), discardLegacyChanges)) {
                case DROPPED -> OK;
                case DIFFERENCES -> DIFFERENCES;
                case NOT_CONFIRMED -> throw new Failure("finalize: not confirmed, nothing dropped; type yes at the prompt, "
                        + "or pass --yes");
                case CHANGED_SINCE_VERIFY -> throw new Failure("finalize: the legacy app changed legacy rows after verify, nothing "
                        + "dropped; run `legacy import` to carry them over, then finalize again (or finalize --discard-legacy-changes)");
            };
        }

        private static boolean confirm(PrintStream out) {
            out.print("Drop the legacy tables for good? Type 'yes' to confirm: ");
            out.flush();
            String answer;
            try {
                answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (java.io.IOException e) {
                answer = null;
            }
            if (System.console() == null) {
                out.println(answer == null ? "" : answer); // a piped answer is not echoed: end the prompt's line
            }
            // Exactly yes: readLine took the line's end off, and nothing else is forgiven (" yes " is not yes).
            return "yes".equals(answer);
        }
    }

    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            Duration duration = t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)))
                    : t.endsWith("s") ? Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000))
                    : Duration.ofMillis(Long.parseLong(t));
            if (duration.toMillis() > 0 && duration.compareTo(ImportOptions.MAX_LOCK_TIMEOUT) <= 0) {
                return duration;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // said below
        }
        throw new IllegalArgumentException("--lock-timeout must be a positive time of at most 1 hour (3600s), like 500ms or 2s, got " + text);
    }

    /** Lets the report code print to picocli's writer (so tests can capture the output). */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final PrintWriter writer;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterOutputStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            writer.print(line.toString(StandardCharsets.UTF_8));
            writer.flush();
            line.reset();
        }
    }

    /** For running the tool on its own: {@code java -cp … io.ticketing.migration.legacy.cli.LegacyCommand import}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LegacyCommand()).execute(args));
    }
}
