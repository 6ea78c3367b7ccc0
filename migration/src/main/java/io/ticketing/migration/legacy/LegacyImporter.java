package io.ticketing.migration.legacy;

import io.ticketing.database.DatabaseErrors;
import io.ticketing.migration.schema.SchemaInvariants;
import io.ticketing.migration.schema.SchemaMigrator;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code legacy import}: moves a live legacy (Prisma) database into the optimized schema.
 *
 * <ol>
 *   <li>Holds the import lock ({@link ImportLock}): a second import, rollback or finalize is
 *       refused while this one runs.</li>
 *   <li>Creates the schema if needed (Flyway), the import schema {@value #IMPORT_SCHEMA}, and
 *       capture triggers on the legacy tables that log every change from now on, one table at a
 *       time and with brief lock waits, so that no legacy transaction is ever aborted.</li>
 *   <li>Copies table by table in keyset batches, each with its checkpoint (resumable), on
 *       {@code --workers} connections at once, each the rows of its share of the events, as a bulk
 *       load: the new schema's triggers off (when the role may), its non-unique indexes and the
 *       unique keys the legacy schema already guarantees built once after each table's copy
 *       instead of row by row.</li>
 *   <li>Catches up what the legacy app changed meanwhile, in rounds without locks, then a last
 *       round holding EXCLUSIVE locks (reads go on, writes wait) for the few remaining changes.
 *       Each round applies and deletes exactly the change-log rows it read.</li>
 *   <li>Makes seat statuses agree with claims, recounts event_summary, refreshes the view.</li>
 * </ol>
 * The legacy rows are never modified. Running it again resumes, or (when finished) catches up again.
 */
public final class LegacyImporter {

    public static final String IMPORT_SCHEMA = "ticketing_import";
    static final String TARGET = SchemaMigrator.SCHEMA;
    static final List<ImportStep> COPY_STEPS = List.of(ImportStep.USER, ImportStep.EVENT, ImportStep.SEAT, ImportStep.CLAIMS,
            ImportStep.BOOKING, ImportStep.PAYMENT_SESSION, ImportStep.TICKET, ImportStep.RECONCILE);
    /** Rounds without locks at most, before the cut-over takes whatever is left. */
    private static final int CATCH_UP_ROUNDS = 10;
    /** How long the cut-over may expect to hold the legacy app's writes. */
    private static final Duration CUT_OVER_BUDGET = Duration.ofMillis(250);
    /** How long the migrations may wait for the legacy app's long transactions before the import gives up. */
    private static final Duration MIGRATION_WAIT = Duration.ofMinutes(10);
    /** How long the workers' connections may wait for server connections of a pooler before the import gives up. */
    private static final Duration SERVER_CONNECTION_WAIT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final DataSource migrations;
    private final ImportOptions options;
    private final PrintStream out;
    private final PrintStream notes;
    /** Set once the import's own schema is committed ({@link #begun()}). */
    private volatile boolean begun;

    /** Imports through {@code dataSource}, and migrates the new schema there first. */
    public LegacyImporter(DataSource dataSource, ImportOptions options, PrintStream out) {
        this(dataSource, dataSource, options, out);
    }

    /**
     * Imports through {@code dataSource}, which may be a transaction pooler (PgBouncer; the import keeps no session
     * state), and migrates the new schema through {@code migrations}, the server itself (Flyway holds a session
     * lock); with {@code migrations} null, the schema must be at this version's migrations already.
     */
    public LegacyImporter(DataSource dataSource, DataSource migrations, ImportOptions options, PrintStream out) {
        this(dataSource, migrations, options, out, out);
    }

    /**
     * As above, with the notes of waits and retries (a lock the legacy app holds, a migration behind a long
     * transaction) on {@code notes}, which the command line makes its error stream: seen on the terminal even when the
     * report goes to a file.
     */
    public LegacyImporter(DataSource dataSource, DataSource migrations, ImportOptions options, PrintStream out, PrintStream notes) {
        this.dataSource = dataSource;
        this.notes = notes;
        this.migrations = migrations;
        this.options = options;
        this.out = out;
    }

    /** Whether the import's own schema is there: from then on, `legacy rollback` has something to roll back. */
    public boolean begun() {
        return begun;
    }

    public ImportReport run() throws SQLException {
        try (ImportLock lock = ImportLock.fencing(dataSource, "import"); Connection connection = dataSource.getConnection()) {
            SchemaMigrator.requireUtf8(connection);
            MigrationState.of(connection).requireNotFinalized("import");
            LegacySchema.requireWritableSession(connection, "import", "it writes the new schema and the import's own");
            ServingInstance.requireNoneRunning(dataSource, "import");
            LegacySchema.requireLegacyTables(dataSource);
            LegacySchema.requireImportPrivileges(dataSource);
            LegacySchema.requireLegacyColumns(connection, "import");
            requireServerConnections(connection);
            List<String> applied = migrate();
            if (!applied.isEmpty()) {
                out.println("schema " + TARGET + ": applied migrations " + applied);
            }
            ImportSession session = new ImportSession(connection, TARGET, IMPORT_SCHEMA, options, out, notes);
            session.withRetries(() -> {
                session.begin();
                prepare(connection);
                connection.commit();
                return null;
            });
            begun = true;
            session.inTransaction(() -> {
                LegacySchema.installCaptureFunction(connection);
                return null;
            });
            for (String table : ImportStep.LEGACY_TABLES) {
                session.withBriefLockWaits("a capture trigger on public." + Jdbc.quoteIdent(table), List.of(table), () -> {
                    session.begin();
                    LegacySchema.installCaptureTrigger(session, table);
                    connection.commit();
                    return null;
                });
            }
            boolean copying = Boolean.TRUE.equals(session.inTransaction(() ->
                    Jdbc.single(connection, "SELECT copied_at IS NULL FROM " + IMPORT_SCHEMA + ".run")));
            boolean bulk = session.useBulkLoad();
            if (copying && !bulk) {
                out.println("copying with the new schema's triggers on (slower): this role may not set session_replication_role; "
                        + "GRANT SET ON PARAMETER session_replication_role TO it (PostgreSQL 15+) or import as a superuser");
            }
            long started = System.nanoTime();
            if (copying) {
                session.deferIndexesDuringCopy();
                session.deferIndexes(List.of("audit_log"), List.of());
                copy(session, lock);
            }
            long building = System.nanoTime();
            int built = session.restoreAllIndexes();
            if (!copying && built > 0) {
                out.printf(Locale.ROOT, "%d indexes and keys an earlier run left to build: built in %.1f s%n", built, (System.nanoTime() - building) / 1e9);
            }
            if (copying) {
                long checked = System.nanoTime();
                afterCopy(session, bulk);
                out.printf(Locale.ROOT, "after the copy: statistics%s in %.1f s%n",
                        bulk ? ", summaries recounted, foreign keys checked" : "", (System.nanoTime() - checked) / 1e9);
            }
            session.inTransaction(() -> Jdbc.update(connection,
                    "UPDATE " + IMPORT_SCHEMA + ".run SET copied_at = coalesce(copied_at, now())"));
            if (copying) {
                out.printf(Locale.ROOT, "copied in %.1f s%n", (System.nanoTime() - started) / 1e9);
            } else {
                out.println("copy done by an earlier run; catching up");
            }
            if (options.catchUp()) {
                catchUp(session, lock);
            }
            session.inTransaction(() -> {
                long repaired = Jdbc.count(connection, "SELECT " + TARGET + ".rebuild_event_summary()");
                Jdbc.single(connection, "SELECT " + TARGET + ".refresh_event_sales_summary(true)");
                out.println("event_summary recounted (" + repaired + " rows corrected), event_sales_summary refreshed");
                return null;
            });
            return withConnections(options.workers() - 1, helpers -> session.inTransaction(() -> {
                List<Connection> connections = new ArrayList<>(List.of(connection));
                connections.addAll(helpers);
                return ImportReport.compute(connections, TARGET, IMPORT_SCHEMA);
            }));
        }
    }

    /**
     * The copy steps, each shared among this session and a helper session per further worker
     * (connections of their own, opened for the copy only).
     */
    private void copy(ImportSession session, ImportLock lock) throws SQLException {
        int workers = session.inTransaction(() -> ((Number) Jdbc.single(session.connection(),
                "SELECT workers FROM " + IMPORT_SCHEMA + ".run")).intValue());
        if (workers != options.workers()) {
            out.println("copying with the " + workers + " workers this import started with (their checkpoints are per worker)");
        }
        withConnections(workers - 1, connections -> {
            List<ImportSession> helpers = new ArrayList<>();
            for (Connection connection : connections) {
                helpers.add(session.helper(connection));
            }
            for (ImportStep step : COPY_STEPS) {
                lock.check();
                session.run(step, helpers);
            }
            return null;
        });
    }

    /**
     * Statistics of the freshly loaded tables before anything plans on them: the catch-up's statements, and the
     * application's first commits, whose guards read these tables (a commit took seconds without). After a bulk
     * copy (triggers off), the summaries recounted and every foreign key checked. Each statement a transaction of
     * its own, shared among the workers' connections (seconds at a million seats, one after another).
     */
    private void afterCopy(ImportSession session, boolean bulk) throws SQLException {
        withConnections(options.workers() - 1, connections -> {
            List<ImportSession> workers = new ArrayList<>(List.of(session));
            for (Connection connection : connections) {
                workers.add(session.helper(connection));
            }
            Parallel.shared(workers, analyzedAfterCopy(), (worker, table) -> worker.inTransaction(() -> {
                try (Statement statement = worker.connection().createStatement()) {
                    statement.execute("ANALYZE " + table);
                    // A role that may not analyze a table is only warned: say it, the catch-up would plan without them.
                    for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                        out.println("no statistics for " + table + " (" + warning.getMessage() + "): the catch-up may be slow; "
                                + "ANALYZE it as its owner");
                    }
                }
                return table;
            }));
            if (bulk) {
                Map<String, String> orphanCounts = session.inTransaction(() -> SchemaInvariants.foreignKeyOrphanCounts(session.connection()));
                List<String> checks = new ArrayList<>(List.of("SELECT " + TARGET + ".rebuild_event_summary()"));
                checks.addAll(orphanCounts.values());
                List<Long> counts = Parallel.shared(workers, checks, (worker, sql) ->
                        worker.inTransaction(() -> Jdbc.count(worker.connection(), sql)));
                List<String> keys = List.copyOf(orphanCounts.keySet());
                Map<String, Long> orphans = new TreeMap<>();
                for (int k = 0; k < keys.size(); k++) {
                    if (counts.get(k + 1) > 0) {
                        orphans.put(keys.get(k), counts.get(k + 1));
                    }
                }
                if (!orphans.isEmpty()) {
                    throw new IllegalStateException("the copy left rows without their parent " + orphans
                            + "; this is a defect of the import: run `legacy rollback` and report it");
                }
            }
            return null;
        });
    }

    /**
     * The tables the copy filled, which the catch-up's statements join: the new schema's, and the import's own
     * seat claims and quarantine. Without statistics the planner takes the claims for a few hundred distinct
     * seats and joins them by sorting all of them: a catch-up round, the cut-over's included, then took a second
     * at a million seats whatever its size.
     */
    private static List<String> analyzedAfterCopy() {
        List<String> tables = new ArrayList<>();
        COPY_STEPS.stream().flatMap(step -> step.targetTables().stream()).distinct().forEach(table -> tables.add(TARGET + "." + table));
        tables.add(IMPORT_SCHEMA + ".seat_claim");
        tables.add(IMPORT_SCHEMA + ".quarantine");
        return tables;
    }

    /**
     * The server connections the import needs at once: its lock's, which it holds, and one for each worker, all of
     * them in a transaction together (a copy step, the checks after it, the report). Behind a transaction pooler whose
     * pool is smaller, the workers would wait for one another until the pooler's query_wait_timeout ends the import;
     * this says so at once, before anything changes: each worker's connection opens a transaction and waits for the
     * others' to open theirs, for {@link #SERVER_CONNECTION_WAIT} at most.
     */
    private void requireServerConnections(Connection session) throws SQLException {
        // A copy that resumes goes on with the workers it started with (their checkpoints are per worker).
        Object started = Jdbc.exists(session, IMPORT_SCHEMA, "run")
                ? Jdbc.single(session, "SELECT workers FROM " + IMPORT_SCHEMA + ".run WHERE copied_at IS NULL") : null;
        int resumedWith = started == null ? 0 : ((Number) started).intValue();
        int workers = Math.max(options.workers(), resumedWith);
        withConnections(workers - 1, helpers -> {
            List<Connection> all = new ArrayList<>(List.of(session));
            all.addAll(helpers);
            boolean autoCommit = session.getAutoCommit();
            for (Connection connection : all) {
                connection.setAutoCommit(false); // a transaction keeps its server connection until it ends
            }
            ExecutorService threads = Executors.newFixedThreadPool(all.size());
            try {
                List<Future<Object>> opened = all.stream().map(connection -> threads.submit(() -> Jdbc.single(connection, "SELECT 1"))).toList();
                long deadline = System.nanoTime() + SERVER_CONNECTION_WAIT.toNanos();
                int got = 0;
                SQLException poolerTimeout = null;
                for (Future<Object> transaction : opened) {
                    try {
                        transaction.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        got++;
                    } catch (TimeoutException waiting) {
                        // counted as missing below
                    } catch (ExecutionException e) {
                        // PgBouncer's own query_wait_timeout, if shorter than ours, ends a wait the same way
                        SQLException sql = e.getCause() instanceof SQLException cause ? cause : new SQLException(e.getCause());
                        if (!String.valueOf(sql.getMessage()).contains("query_wait_timeout")) {
                            abortAll(all);
                            throw sql;
                        }
                        poolerTimeout = sql;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                if (got < workers) {
                    abortAll(all); // ends the waits still queued in the pooler
                    String fewer = resumedWith > got ? ", or run `legacy rollback` and import again with --workers " + got
                            : ", or import with --workers " + got;
                    throw new IllegalStateException("the import needs " + (workers + 1) + " server connections at once (one for its lock, "
                            + (workers == 1 ? "one for its worker" : "one for each of its " + workers + " workers")
                            + (resumedWith == workers && resumedWith > options.workers() ? ", the count this import started with" : "")
                            + ") and got " + (got + 1) + " within "
                            + SERVER_CONNECTION_WAIT.toSeconds() + " s: behind a transaction pooler, give this database a pool "
                            + "(default_pool_size, max_db_connections) of at least " + (workers + 1) + " besides the application's"
                            + (got > 0 ? fewer : ""), poolerTimeout);
                }
                for (Connection connection : all) {
                    connection.rollback();
                }
                session.setAutoCommit(autoCommit);
                return null;
            } finally {
                threads.shutdownNow();
            }
        });
    }

    private static void abortAll(List<Connection> connections) throws SQLException {
        for (Connection connection : connections) {
            connection.abort(Runnable::run);
        }
    }

    private interface WithConnections<T> {
        T run(List<Connection> connections) throws SQLException;
    }

    /** {@code work} with {@code count} connections of its own, closed when it is done. */
    private <T> T withConnections(int count, WithConnections<T> work) throws SQLException {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int k = 0; k < count; k++) {
                connections.add(dataSource.getConnection());
            }
            return work.run(connections);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private List<String> migrate() {
        if (migrations != null) {
            return migrateBesideLongTransactions();
        }
        if (!new SchemaMigrator(dataSource).isCurrent()) {
            throw new IllegalStateException("schema " + TARGET + " is not at this version's migrations: run `ticketing migrate` "
                    + "on the server itself first");
        }
        return List.of();
    }

    /**
     * The migrations that build an index CONCURRENTLY wait for every transaction of the database that holds a snapshot
     * older than the build, and those that lock a table wait for its users, 5 s at most (their lock_timeout); then they
     * fail and are retried from the start. On a live legacy database a report or a session idle in transaction can stay
     * longer: the import tries again, saying so at the first attempt and every tenth, rather than fail, for
     * {@link #MIGRATION_WAIT} at most.
     */
    private List<String> migrateBesideLongTransactions() {
        long deadline = System.nanoTime() + MIGRATION_WAIT.toNanos();
        SchemaMigrator migrator = new SchemaMigrator(migrations);
        // What every attempt applied, not only the last: one that gave up at V6 had applied V1 to V5.
        List<String> appliedBefore = migrator.applied();
        for (int attempt = 1; ; attempt++) {
            try {
                migrator.migrate();
                return migrator.applied().stream().filter(version -> !appliedBefore.contains(version)).toList();
            } catch (RuntimeException e) {
                boolean lockTimeout = DatabaseErrors.sqlCause(e).filter(DatabaseErrors::isLockTimeout).isPresent();
                if (!lockTimeout || System.nanoTime() > deadline) {
                    throw e;
                }
                if (attempt % 10 == 1) {
                    notes.println("schema " + TARGET + ": a migration gave up waiting for older transactions (" + oldestSnapshot()
                            + "); trying again, for " + MIGRATION_WAIT.toMinutes() + " minutes at most");
                }
                ImportSession.sleep(1_000);
            }
        }
    }

    /**
     * The session holding the oldest snapshot of this database, which a concurrent index build waits for, named as the
     * import names lock holders (a role that may not read all statistics sees their snapshots, not their kind).
     * Best effort: a failure here says nothing of the wait itself.
     */
    private String oldestSnapshot() {
        try (Connection connection = migrations.getConnection()) {
            Object oldest = Jdbc.single(connection, """
                    SELECT %s || ' (pid ' || a.pid || coalesce(', ' || a.state, '') || ')'
                      FROM pg_stat_activity a
                     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                       AND coalesce(a.backend_type, 'client backend') = 'client backend' -- hidden from a role without pg_read_all_stats
                       AND a.backend_xmin IS NOT NULL
                     ORDER BY age(a.backend_xmin) DESC LIMIT 1""".formatted(ImportSession.SESSION_NAME));
            return oldest == null ? "none visible to this role now" : "the oldest: " + oldest;
        } catch (SQLException e) {
            return "they could not be listed";
        }
    }

    private void prepare(Connection connection) throws SQLException {
        Jdbc.script(connection, "CREATE SCHEMA IF NOT EXISTS " + IMPORT_SCHEMA);
        String emailCase = ImportSession.installSupport(connection, IMPORT_SCHEMA);
        LegacyImportState.grantReading(connection);
        Jdbc.update(connection, "INSERT INTO " + IMPORT_SCHEMA + ".run (currency, workers) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                options.currency(), options.workers());
        // At the first start (an import begun before the run recorded it: at its first run since).
        Jdbc.update(connection, "UPDATE " + IMPORT_SCHEMA + ".run SET email_case = ?, email_case_java = ? WHERE email_case IS NULL",
                emailCase, EmailCase.JAVA_VERSION);
        Map<String, Object> run = Jdbc.query(connection, "SELECT currency, email_case, email_case_java FROM " + IMPORT_SCHEMA + ".run").get(0);
        String currency = (String) run.get("currency");
        if (!currency.equals(options.currency())) {
            // An import started before unknown codes were refused may hold one that no resume can give (nor serve).
            throw new IllegalStateException(ImportOptions.knownCurrency(currency)
                    ? "this import started with currency " + currency + "; resume it with --currency " + currency
                    : "this import started with currency " + currency + ", which the application cannot serve (not an ISO 4217 "
                    + "code java.util.Currency knows); run `legacy rollback`, then `legacy import` with a known --currency");
        }
        EmailCase.requireAsFirstDecided(emailCase, (String) run.get("email_case"), (String) run.get("email_case_java"));
    }

    /**
     * Rounds without locks (at least one when any change is pending) until one of them took no
     * longer than the cut-over may, and no more changes came in meanwhile than it carried over:
     * the locked round that follows then has as little to do. Then that short locked round: the
     * cut-over. Rounds that ran without the triggers leave the summaries to a recount before the
     * cut-over, once (about a second at a million seats; recorded in the run, so that a resumed import
     * recounts too), followed by one round with the triggers on for what came in meanwhile.
     */
    private void catchUp(ImportSession session, ImportLock lock) throws SQLException {
        Connection connection = session.connection();
        long lastMillis = Long.MAX_VALUE;
        long lastApplied = 0;
        for (int round = 1; round <= CATCH_UP_ROUNDS; round++) {
            long pending = session.inTransaction(() -> Jdbc.count(connection, PENDING_ROWS));
            if (pending == 0 || (lastMillis <= CUT_OVER_BUDGET.toMillis() && pending <= lastApplied)) {
                break;
            }
            long started = System.nanoTime();
            lastApplied = session.withRetries(() -> applyChanges(session, lock, false, session.bulkLoad()));
            lastMillis = (System.nanoTime() - started) / 1_000_000;
            out.printf("catch-up round %d: %d changed legacy rows carried over in %d ms%n", round, lastApplied, lastMillis);
        }
        if (Boolean.TRUE.equals(session.inTransaction(() -> Jdbc.single(connection, "SELECT summaries_stale FROM " + IMPORT_SCHEMA + ".run")))) {
            long started = System.nanoTime();
            long corrected = session.inTransaction(() -> {
                long events = Jdbc.count(connection, "SELECT " + TARGET + ".rebuild_event_summary()");
                Jdbc.update(connection, "UPDATE " + IMPORT_SCHEMA + ".run SET summaries_stale = false");
                return events;
            });
            out.printf("event_summary recounted after the rounds (%d events changed) in %d ms%n", corrected,
                    (System.nanoTime() - started) / 1_000_000);
            // What came in during the recount, carried over with the triggers on (the summaries stay exact), so that
            // the cut-over has as little to do as the rounds left it.
            if (session.inTransaction(() -> Jdbc.count(connection, PENDING_ROWS)) > 0) {
                long roundStarted = System.nanoTime();
                long applied = session.withRetries(() -> applyChanges(session, lock, false, false));
                out.printf("catch-up round after the recount: %d changed legacy rows carried over in %d ms%n", applied,
                        (System.nanoTime() - roundStarted) / 1_000_000);
            }
        }
        long[] blocked = new long[1];
        long applied = session.withBriefLockWaits("the cut-over's write locks on the legacy tables", ImportStep.LEGACY_TABLES, () -> {
            long changes = applyChanges(session, lock, true, false);
            blocked[0] = session.lastLockHeldMillis();
            return changes;
        }, () -> {
            // What the legacy app wrote while the attempts waited, carried over without locks: the backlog of the
            // locked round, and so how long it blocks the legacy app, does not grow with the wait.
            if (session.inTransaction(() -> Jdbc.count(connection, PENDING_ROWS)) == 0) {
                return null;
            }
            long roundStarted = System.nanoTime();
            long carried = session.withRetries(() -> applyChanges(session, lock, false, false));
            out.printf("catch-up round while waiting for the cut-over's locks: %d changed legacy rows carried over in %d ms%n",
                    carried, (System.nanoTime() - roundStarted) / 1_000_000);
            return null;
        });
        out.printf("final catch-up: %d changed legacy rows carried over; legacy writes blocked for %d ms%n", applied, blocked[0]);
    }

    /**
     * After the cut-over the new application is the one that writes: a catch-up that re-imported a
     * legacy row it changed since (a ticket checked in, a booking cancelled, a seat blocked) would
     * put the legacy version back without a word. So, once the new application has written anything
     * since the cut-over, the import refuses and changes nothing more. Checked in every catch-up
     * transaction, before it changes anything: by the audit trail (every write by another actor than
     * the import, since the first cut-over) and by the rows changed after the import's latest writes
     * (the tables whose every change is not audited: customers, seat statuses).
     */
    private static void refuseOverwritingTheApplication(Connection connection) throws SQLException {
        Map<String, Object> run = Jdbc.query(connection, "SELECT cutover_at, coalesce(caught_up_at, cutover_at) AS caught_up_at, "
                + "to_char(cutover_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"') AS cutover FROM " + IMPORT_SCHEMA + ".run").get(0);
        if (run.get("cutover_at") == null) {
            return;
        }
        List<String> found = new ArrayList<>();
        List<Map<String, Object>> audited = Jdbc.query(connection, "SELECT actor, count(*) AS n FROM " + TARGET + ".audit_log "
                + "WHERE occurred_at > ? AND actor <> ? GROUP BY actor ORDER BY count(*) DESC, actor", run.get("cutover_at"), ImportSession.ACTOR);
        for (Map<String, Object> row : audited) {
            found.add(row.get("n") + " audited " + (((Number) row.get("n")).longValue() == 1 ? "change" : "changes") + " by " + row.get("actor"));
        }
        if (found.isEmpty()) {
            for (String table : List.of("customer", "event", "seat", "booking", "payment_session", "ticket")) {
                long changed = Jdbc.count(connection, "SELECT count(*) FROM " + TARGET + "." + table + " WHERE updated_at > ?", run.get("caught_up_at"));
                if (changed > 0) {
                    found.add(changed + " " + table + " " + (changed == 1 ? "row" : "rows") + " changed");
                }
            }
        }
        if (!found.isEmpty()) {
            long pending = Jdbc.count(connection, PENDING_ROWS);
            String written = "import refused: the new application has written since the cut-over at " + run.get("cutover")
                    + " (" + String.join(", ", found) + ")";
            throw new IllegalStateException(pending == 0
                    ? written + " and no legacy change is pending: nothing to import, the new application is authoritative "
                    + "(`legacy rollback` goes back to the legacy app, carrying its changes back)"
                    : written + ", and carrying legacy changes over now could overwrite its changes; " + pending + " changed legacy "
                    + (pending == 1 ? "row is" : "rows are") + " not carried over (" + IMPORT_SCHEMA + ".legacy_change): re-enter "
                    + (pending == 1 ? "it" : "them") + " in the new application, or run `legacy rollback` to go back to the legacy app "
                    + "(it carries the new application's changes back)");
        }
    }

    /** Legacy rows changed and not yet carried over (a row logged twice counts once). */
    private static final String PENDING_ROWS = "SELECT count(*) FROM (SELECT DISTINCT table_name, legacy_id FROM " + IMPORT_SCHEMA + ".legacy_change) c";

    /**
     * Re-imports every legacy row changed since the last round (and what depends on it), in one
     * transaction, then deletes exactly the change-log rows it read: a legacy transaction that
     * logged its change earlier but committed later is left for the next round. {@code bulk}: as the
     * copy writes, with the triggers off (the row triggers were most of a round's time): one audit
     * entry per event, table and round, the join rows that a cascade would delete deleted explicitly,
     * the summaries left to a recount ({@link #catchUp}). The cut-over's round runs the triggers, so
     * that the summaries stay exact as the application takes over.
     */
    private long applyChanges(ImportSession session, ImportLock lock, boolean cutOver, boolean bulk) throws SQLException {
        Connection connection = session.connection();
        lock.check();
        if (bulk) {
            session.beginBulk();
        } else {
            session.begin();
        }
        session.createBatchIds();
        refuseOverwritingTheApplication(connection);
        if (cutOver) {
            session.lockBriefly("LOCK TABLE " + ImportStep.LEGACY_TABLES.stream().map(t -> "public." + Jdbc.quoteIdent(t))
                    .collect(Collectors.joining(", ")) + " IN EXCLUSIVE MODE");
        }
        Jdbc.script(connection, "DROP TABLE IF EXISTS pg_temp.change_batch; CREATE TEMP TABLE change_batch ON COMMIT DROP AS "
                + "SELECT seq, table_name, legacy_id FROM " + IMPORT_SCHEMA + ".legacy_change");
        long changed = Jdbc.count(connection, "SELECT count(*) FROM (SELECT DISTINCT table_name, legacy_id FROM pg_temp.change_batch) c");
        if (changed > 0) {
            // What the changes reach while the claims are as they were: the rows to take out before any parent moves.
            Jdbc.script(connection, resolve(CHANGE_CLOSURE + ADDRESS_PEERS + FLIPPED));
            if (bulk) {
                Jdbc.script(connection, resolve(REMOVED + ISSUED_BEFORE));
            }
            for (ImportStep parent : List.of(ImportStep.USER, ImportStep.EVENT)) {
                if (fillBatch(connection, parent.legacyTable()) == 0) {
                    continue;
                }
                Jdbc.script(connection, parent.classification(TARGET, IMPORT_SCHEMA));
                Jdbc.update(connection, resolve(FLIPPED_PARENTS.formatted(parent == ImportStep.USER ? "customer" : "event")),
                        parent.legacyTable());
            }
            // Rare: most rounds have no parent that flips, and skip the statements that would find their children.
            boolean flips = Jdbc.count(connection, "SELECT count(*) FROM pg_temp.flipped") > 0;
            if (flips) {
                Jdbc.script(connection, resolve(CHILDREN_OF_FLIPPED));
            }
            Jdbc.script(connection, resolve(CLAIM_RIVALS + DEPENDANTS + TOUCHED_SEATS_BEFORE + DELETE_DEPENDANTS));
            Jdbc.script(connection, resolve(DELETE_REMOVED_SEATS));
            if (flips) {
                Jdbc.script(connection, resolve(DELETE_SEATS_OF_FLIPPED_EVENTS));
            }
            reimport(connection, List.of(ImportStep.USER, ImportStep.EVENT, ImportStep.SEAT), bulk);
            // The changed bookings' claims as they are now that their parents are in place, then whoever claims the same seats.
            if (fillBatch(connection, "Booking") > 0) {
                Jdbc.script(connection, ImportStep.CLAIMS.sql(TARGET, IMPORT_SCHEMA, options.currency(), ImportStep.Pass.CATCH_UP));
                Jdbc.script(connection, resolve(CLAIM_RIVALS + DEPENDANTS + TOUCHED_SEATS_AFTER + DELETE_DEPENDANTS));
            }
            reimport(connection, List.of(ImportStep.BOOKING, ImportStep.PAYMENT_SESSION, ImportStep.TICKET), bulk);
            Jdbc.script(connection, resolve(TOUCHED_SEATS_AFTER));
            Jdbc.script(connection, ImportStep.reconcileTouchedSeats(TARGET, IMPORT_SCHEMA));
            if (bulk) {
                Jdbc.script(connection, resolve(AUDIT_REMOVED + ImportStep.ISSUED_TICKETS_AUDIT + AUDIT_WITHDRAWN));
            }
            Jdbc.script(connection, "DELETE FROM " + IMPORT_SCHEMA + ".legacy_change WHERE seq IN (SELECT seq FROM pg_temp.change_batch)");
        }
        // The first cut-over's time stays: rollback carries back what the new application changed since then, and a
        // repeat import's catch-up (which only runs while the new application has changed nothing, see above) must not
        // move that line past the application's changes. caught_up_at: the end of the import's latest writes.
        Jdbc.script(connection, "UPDATE " + IMPORT_SCHEMA + ".run SET caught_up_at = clock_timestamp()"
                + (cutOver ? ", cutover_at = coalesce(cutover_at, clock_timestamp())" : "")
                + (bulk && changed > 0 ? ", summaries_stale = true" : ""));
        connection.commit();
        session.lockReleased();
        return changed;
    }

    /**
     * The changed rows of each step's legacy table imported again ({@code bulk}: with their audit
     * entries, see {@link ImportStep#batchAudit}). A step without any is skipped: a round's cost is
     * mostly its statements' fixed cost (temporary tables, statistics), and most rounds change rows
     * of two or three tables only.
     */
    private void reimport(Connection connection, List<ImportStep> steps, boolean bulk) throws SQLException {
        for (ImportStep step : steps) {
            if (fillBatch(connection, step.legacyTable()) > 0) {
                Jdbc.script(connection, step.sql(TARGET, IMPORT_SCHEMA, options.currency(), ImportStep.Pass.CATCH_UP)
                        + (bulk ? step.batchAudit(TARGET, "UPDATE", "legacy_catch_up") : ""));
            }
        }
    }

    /** pg_temp.batch_ids := the changed legacy ids of {@code legacyTable}; returns how many. */
    private static int fillBatch(Connection connection, String legacyTable) throws SQLException {
        Jdbc.script(connection, "DELETE FROM pg_temp.batch_ids");
        int rows = Jdbc.update(connection, "INSERT INTO pg_temp.batch_ids SELECT DISTINCT legacy_id FROM pg_temp.changed WHERE table_name = ?",
                legacyTable);
        if (rows > 0) {
            Jdbc.script(connection, "ANALYZE pg_temp.batch_ids");
        }
        return rows;
    }

    private static String resolve(String sql) {
        return sql.replace("{i}", IMPORT_SCHEMA).replace("{t}", TARGET);
    }

    /**
     * The changed legacy rows, plus the rows whose new-schema version depends on them: a changed
     * seat brings the bookings that list it (migrated, claiming or quarantined pairs) and the
     * checkouts holding it; the tickets of it that depend on it come with those bookings. A changed
     * checkout brings its booking, whose status may depend on it (an unpaid checkout expired).
     */
    private static final String CHANGE_CLOSURE = """
            DROP TABLE IF EXISTS pg_temp.changed;
            CREATE TEMP TABLE changed ON COMMIT DROP AS
            SELECT DISTINCT CASE WHEN table_name = '_PaymentSessionToSeat' THEN 'PaymentSession' ELSE table_name END AS table_name, legacy_id
              FROM pg_temp.change_batch;
            INSERT INTO changed
            SELECT 'Booking', b.legacy_id FROM changed c
              JOIN {t}.seat s ON s.id = {i}.legacy_uuid('seat', c.legacy_id) AND s.legacy_id = c.legacy_id
              JOIN {t}.booked_seat bs ON bs.event_id = s.event_id AND bs.seat_id = s.id
              JOIN {t}.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
             WHERE c.table_name = 'Seat' AND b.legacy_id IS NOT NULL
            UNION SELECT 'Booking', sc.booking_legacy_id FROM changed c JOIN {i}.seat_claim sc ON sc.seat_legacy_id = c.legacy_id
             WHERE c.table_name = 'Seat'
            UNION SELECT 'Booking', q.batch_key FROM changed c JOIN {i}.quarantine q ON q.table_name = 'Booking.seats' AND q.payload ->> 'seatId' = c.legacy_id
             WHERE c.table_name = 'Seat'
            UNION SELECT 'PaymentSession', j."A" FROM changed c JOIN public."_PaymentSessionToSeat" j ON j."B" = c.legacy_id WHERE c.table_name = 'Seat'
            -- a booking the legacy tables hold: one they do not (their foreign key dropped) has nothing to import, and its
            -- id, which no legacy key bounds, may be too long for batch_ids' key
            UNION SELECT 'Booking', p."bookingId" FROM changed c JOIN public."PaymentSession" p ON p.id = c.legacy_id
             WHERE c.table_name = 'PaymentSession' AND EXISTS (SELECT 1 FROM public."Booking" b WHERE b.id = p."bookingId");
            """;

    /**
     * The users whose address a changed user leaves or takes, decided anew with it (the lowest
     * legacy id keeps an address): those refused the address a changed customer held, and the
     * customer holding the address a changed user now has.
     */
    private static final String ADDRESS_PEERS = """
            INSERT INTO changed
            SELECT 'User', q.legacy_id FROM changed ch
              JOIN {t}.customer c ON c.id = {i}.legacy_uuid('user', ch.legacy_id) AND c.legacy_id = ch.legacy_id
              JOIN {i}.quarantine q ON q.table_name = 'User' AND {i}.normal_email(q.payload ->> 'email') = c.email
             WHERE ch.table_name = 'User'
            UNION SELECT 'User', c.legacy_id FROM changed ch JOIN public."User" u ON u.id = ch.legacy_id
              JOIN {t}.customer c ON c.email = {i}.normal_email(u.email) AND c.legacy_id <> ch.legacy_id
             WHERE ch.table_name = 'User';
            """;

    /** The changed parents (users, events) that move between migrated and quarantined. */
    private static final String FLIPPED = """
            DROP TABLE IF EXISTS pg_temp.flipped;
            CREATE TEMP TABLE flipped (table_name text NOT NULL, legacy_id text NOT NULL) ON COMMIT DROP;
            """;

    /** Of the parents classified anew in batch_rows, those whose migrated state flips. %s: the target table; parameter: the legacy table. */
    private static final String FLIPPED_PARENTS = """
            INSERT INTO flipped
            SELECT ?, r.legacy_id FROM batch_rows r
             WHERE (r.reason IS NULL) <> EXISTS (SELECT 1 FROM {t}.%s p WHERE p.id = r.id AND p.legacy_id = r.legacy_id)
            """;

    /**
     * A parent that flips takes every child along: a customer its bookings, checkouts and tickets;
     * an event its seats too. Found by their migrated versions and by their quarantine entries.
     */
    private static final String CHILDREN_OF_FLIPPED = """
            ANALYZE flipped;
            INSERT INTO changed
            SELECT 'Booking', b.legacy_id FROM flipped f JOIN {t}.booking b ON b.customer_id = {i}.legacy_uuid('user', f.legacy_id)
             WHERE f.table_name = 'User' AND b.legacy_id IS NOT NULL
            UNION SELECT 'PaymentSession', p.legacy_id FROM flipped f JOIN {t}.payment_session p ON p.customer_id = {i}.legacy_uuid('user', f.legacy_id)
             WHERE f.table_name = 'User' AND p.legacy_id IS NOT NULL
            UNION SELECT 'Ticket', t.legacy_id FROM flipped f JOIN {t}.ticket t ON t.customer_id = {i}.legacy_uuid('user', f.legacy_id)
             WHERE f.table_name = 'User' AND t.legacy_id IS NOT NULL
            UNION SELECT 'Seat', s.legacy_id FROM flipped f JOIN {t}.seat s ON s.event_id = {i}.legacy_uuid('event', f.legacy_id)
             WHERE f.table_name = 'Event' AND s.legacy_id IS NOT NULL
            UNION SELECT 'Booking', b.legacy_id FROM flipped f JOIN {t}.booking b ON b.event_id = {i}.legacy_uuid('event', f.legacy_id)
             WHERE f.table_name = 'Event' AND b.legacy_id IS NOT NULL
            UNION SELECT 'PaymentSession', p.legacy_id FROM flipped f JOIN {t}.payment_session p ON p.event_id = {i}.legacy_uuid('event', f.legacy_id)
             WHERE f.table_name = 'Event' AND p.legacy_id IS NOT NULL
            UNION SELECT 'Ticket', t.legacy_id FROM flipped f JOIN {t}.ticket t ON t.event_id = {i}.legacy_uuid('event', f.legacy_id)
             WHERE f.table_name = 'Event' AND t.legacy_id IS NOT NULL
            UNION SELECT q.table_name, q.legacy_id FROM flipped f
              JOIN {i}.quarantine q ON q.table_name IN ('Seat', 'Booking', 'PaymentSession', 'Ticket')
                                   AND q.payload ->> CASE f.table_name WHEN 'User' THEN 'userId' ELSE 'eventId' END = f.legacy_id;
            """;

    /** The bookings claiming a seat that a changed booking claims: who holds it may change. */
    private static final String CLAIM_RIVALS = """
            INSERT INTO changed
            SELECT DISTINCT 'Booking', rival.booking_legacy_id FROM changed c
              JOIN {i}.seat_claim mine ON mine.booking_legacy_id = c.legacy_id
              JOIN {i}.seat_claim rival ON rival.seat_legacy_id = mine.seat_legacy_id
             WHERE c.table_name = 'Booking'
               AND NOT EXISTS (SELECT 1 FROM changed x WHERE x.table_name = 'Booking' AND x.legacy_id = rival.booking_legacy_id);
            """;

    /**
     * A changed booking brings its checkouts and tickets, and the checkouts holding the seats it
     * claims (an open checkout may not keep a seat that another booking holds). They are found by
     * their migrated or quarantined versions (the legacy tables have no index on "bookingId";
     * those created since the copy are in the change log themselves).
     */
    private static final String DEPENDANTS = """
            DROP TABLE IF EXISTS pg_temp.changed_booking;
            CREATE TEMP TABLE changed_booking ON COMMIT DROP AS
            SELECT DISTINCT b.event_id, b.id FROM changed c JOIN {t}.booking b ON b.id = {i}.legacy_uuid('booking', c.legacy_id) AND b.legacy_id = c.legacy_id
             WHERE c.table_name = 'Booking';
            INSERT INTO changed
            SELECT 'PaymentSession', p.legacy_id FROM changed_booking cb
              JOIN {t}.payment_session p ON p.event_id = cb.event_id AND p.booking_id = cb.id WHERE p.legacy_id IS NOT NULL
            UNION SELECT 'Ticket', t.legacy_id FROM changed_booking cb
              JOIN {t}.ticket t ON t.event_id = cb.event_id AND t.booking_id = cb.id WHERE t.legacy_id IS NOT NULL
            UNION SELECT q.table_name, q.legacy_id FROM changed c
              JOIN {i}.quarantine q ON q.table_name IN ('PaymentSession', 'Ticket') AND q.payload ->> 'bookingId' = c.legacy_id
             WHERE c.table_name = 'Booking'
            UNION SELECT 'PaymentSession', j."A" FROM changed c JOIN {i}.seat_claim sc ON sc.booking_legacy_id = c.legacy_id
              JOIN public."_PaymentSessionToSeat" j ON j."B" = sc.seat_legacy_id WHERE c.table_name = 'Booking';
            """;

    /**
     * The changed rows' new-schema versions deleted, children first, to be re-imported; their join
     * rows too, which the foreign keys' cascades would delete, but not with the triggers off (an event's
     * summary rows: {@link ImportStep#EVENT}).
     */
    private static final String DELETE_DEPENDANTS = ImportStep.SET_ASIDE_TICKETS + """
            DELETE FROM {t}.ticket t USING changed c
             WHERE c.table_name = 'Ticket' AND t.id = {i}.legacy_uuid('ticket', c.legacy_id) AND t.legacy_id = c.legacy_id;
            DELETE FROM {t}.ticket t USING changed_booking cb WHERE t.event_id = cb.event_id AND t.booking_id = cb.id AND t.legacy_id IS NOT NULL;
            -- the tickets the import issued for them, set aside: taken back (ImportStep.RECONCILE) where the booking still needs them
            WITH withdrawn AS (
                DELETE FROM {i}.issued_ticket it USING changed_booking cb WHERE it.event_id = cb.event_id AND it.booking_id = cb.id
                RETURNING it.event_id, it.ticket_id, it.issued_at),
                 removed AS (
                DELETE FROM {t}.ticket t USING withdrawn w WHERE t.event_id = w.event_id AND t.id = w.ticket_id RETURNING t.*)
            INSERT INTO set_aside_ticket SELECT r.*, w.issued_at FROM removed r JOIN withdrawn w ON w.event_id = r.event_id AND w.ticket_id = r.id;
            DELETE FROM {t}.payment_session_seat ps USING changed c
              JOIN {t}.payment_session p ON p.id = {i}.legacy_uuid('payment_session', c.legacy_id) AND p.legacy_id = c.legacy_id
             WHERE c.table_name = 'PaymentSession' AND ps.event_id = p.event_id AND ps.payment_session_id = p.id;
            DELETE FROM {t}.payment_session p USING changed c
             WHERE c.table_name = 'PaymentSession' AND p.id = {i}.legacy_uuid('payment_session', c.legacy_id) AND p.legacy_id = c.legacy_id;
            UPDATE {t}.payment_session p SET booking_id = NULL FROM changed_booking cb WHERE p.event_id = cb.event_id AND p.booking_id = cb.id;
            DELETE FROM {t}.booked_seat bs USING changed_booking cb WHERE bs.event_id = cb.event_id AND bs.booking_id = cb.id;
            DELETE FROM {t}.booking b USING changed c
             WHERE c.table_name = 'Booking' AND b.id = {i}.legacy_uuid('booking', c.legacy_id) AND b.legacy_id = c.legacy_id;
            """;

    /**
     * The rows the legacy app deleted, of the tables the row triggers audit, as they are in the new schema before
     * the round takes them out: a round with the triggers off audits them itself ({@link #AUDIT_REMOVED}).
     */
    private static final String REMOVED = """
            DROP TABLE IF EXISTS pg_temp.removed;
            CREATE TEMP TABLE removed ON COMMIT DROP AS -- UNION: a changed row may be listed more than once
            SELECT 'event' AS entity, e.id AS event_id, e.id, e.legacy_id FROM changed c
              JOIN {t}.event e ON e.id = {i}.legacy_uuid('event', c.legacy_id) AND e.legacy_id = c.legacy_id
             WHERE c.table_name = 'Event' AND NOT EXISTS (SELECT 1 FROM public."Event" l WHERE l.id = c.legacy_id)
            UNION SELECT 'booking', b.event_id, b.id, b.legacy_id FROM changed c
              JOIN {t}.booking b ON b.id = {i}.legacy_uuid('booking', c.legacy_id) AND b.legacy_id = c.legacy_id
             WHERE c.table_name = 'Booking' AND NOT EXISTS (SELECT 1 FROM public."Booking" l WHERE l.id = c.legacy_id)
            UNION SELECT 'payment_session', p.event_id, p.id, p.legacy_id FROM changed c
              JOIN {t}.payment_session p ON p.id = {i}.legacy_uuid('payment_session', c.legacy_id) AND p.legacy_id = c.legacy_id
             WHERE c.table_name = 'PaymentSession' AND NOT EXISTS (SELECT 1 FROM public."PaymentSession" l WHERE l.id = c.legacy_id)
            UNION SELECT 'ticket', t.event_id, t.id, t.legacy_id FROM changed c
              JOIN {t}.ticket t ON t.id = {i}.legacy_uuid('ticket', c.legacy_id) AND t.legacy_id = c.legacy_id
             WHERE c.table_name = 'Ticket' AND NOT EXISTS (SELECT 1 FROM public."Ticket" l WHERE l.id = c.legacy_id);
            """;

    /** One audit entry per event and table for the rows of {@link #REMOVED}, as {@link ImportStep#batchAudit} writes the others. */
    private static final String AUDIT_REMOVED = """
            INSERT INTO {t}.audit_log (actor, action, entity_type, entity_id, event_id, old_values)
            SELECT {t}.audit_actor(), 'DELETE', 'legacy_catch_up', r.event_id, r.event_id,
                   jsonb_build_object('table', r.entity, 'rows', count(*), 'ids', jsonb_agg(r.id ORDER BY r.legacy_id),
                                      'legacyIds', jsonb_agg(r.legacy_id ORDER BY r.legacy_id))
              FROM removed r GROUP BY r.entity, r.event_id ORDER BY r.event_id, r.entity;
            """;

    /**
     * The tickets the import had issued (ImportStep's ISSUED_TICKETS) as the round finds them. The round may withdraw
     * some (their booking cancelled, a legacy ticket for the seat), with the triggers off: {@link #AUDIT_WITHDRAWN}.
     */
    private static final String ISSUED_BEFORE = """
            DROP TABLE IF EXISTS pg_temp.issued_before;
            CREATE TEMP TABLE issued_before ON COMMIT DROP AS SELECT event_id, ticket_id FROM {i}.issued_ticket;
            """;

    /**
     * One audit entry per event for the issued tickets the round withdrew, paired with the entries that named them
     * when they were issued ({@link ImportStep#ISSUED_TICKETS_AUDIT}): a code an admin may have sent a customer
     * stops admitting, and the trail says when and by whom. A ticket set aside and taken back is no withdrawal.
     */
    private static final String AUDIT_WITHDRAWN = """
            INSERT INTO {t}.audit_log (actor, action, entity_type, entity_id, event_id, old_values)
            SELECT {t}.audit_actor(), 'DELETE', 'legacy_import', w.event_id, w.event_id,
                   jsonb_build_object('table', 'ticket', 'issued', true, 'rows', count(*), 'ids', jsonb_agg(w.ticket_id ORDER BY w.ticket_id))
              FROM pg_temp.issued_before w
             WHERE NOT EXISTS (SELECT 1 FROM {t}.ticket t WHERE t.event_id = w.event_id AND t.id = w.ticket_id)
             GROUP BY w.event_id ORDER BY w.event_id;
            """;

    /**
     * The seats the legacy app deleted, whose children are gone by now: before the event's step, which deletes the
     * event when the legacy app deleted it too (the seat step comes after it).
     */
    private static final String DELETE_REMOVED_SEATS = """
            DELETE FROM {t}.seat s USING changed c
             WHERE c.table_name = 'Seat' AND s.id = {i}.legacy_uuid('seat', c.legacy_id) AND s.legacy_id = c.legacy_id
               AND NOT EXISTS (SELECT 1 FROM public."Seat" l WHERE l.id = c.legacy_id);
            """;

    /** The seats of the events that flip, whose children are gone by now: the event's step may delete the event. */
    private static final String DELETE_SEATS_OF_FLIPPED_EVENTS = """
            DELETE FROM {t}.seat s USING flipped f WHERE f.table_name = 'Event' AND s.event_id = {i}.legacy_uuid('event', f.legacy_id);
            """;

    /**
     * The seats whose status a catch-up round may change: the changed seats, those the changed
     * bookings and checkouts claim, and those of the changed tickets (a seat of a confirmed booking
     * left without its ticket gets one issued: ImportStep.RECONCILE), taken before the round deletes them ({@link #TOUCHED_SEATS_BEFORE})
     * and after it re-imported them ({@link #TOUCHED_SEATS_AFTER}).
     */
    private static final String SEATS_OF_CHANGED_ROWS = """
            SELECT s.event_id, s.id FROM changed c JOIN {t}.seat s ON s.id = {i}.legacy_uuid('seat', c.legacy_id) AND s.legacy_id = c.legacy_id
             WHERE c.table_name = 'Seat'
            UNION SELECT bs.event_id, bs.seat_id FROM changed c JOIN {t}.booked_seat bs ON bs.booking_id = {i}.legacy_uuid('booking', c.legacy_id)
             WHERE c.table_name = 'Booking'
            UNION SELECT ps.event_id, ps.seat_id FROM changed c
              JOIN {t}.payment_session_seat ps ON ps.payment_session_id = {i}.legacy_uuid('payment_session', c.legacy_id)
             WHERE c.table_name = 'PaymentSession'
            UNION SELECT t.event_id, t.seat_id FROM changed c
              JOIN {t}.ticket t ON t.id = {i}.legacy_uuid('ticket', c.legacy_id) AND t.legacy_id = c.legacy_id
             WHERE c.table_name = 'Ticket';
            """;
    private static final String TOUCHED_SEATS_BEFORE = "DROP TABLE IF EXISTS pg_temp.touched_seats;\n"
            + "CREATE TEMP TABLE touched_seats ON COMMIT DROP AS\n" + SEATS_OF_CHANGED_ROWS;
    private static final String TOUCHED_SEATS_AFTER = "INSERT INTO touched_seats\n" + SEATS_OF_CHANGED_ROWS + "ANALYZE touched_seats;\n";
}
