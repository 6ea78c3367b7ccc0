package io.ticketing.migration.legacy;

import io.ticketing.database.DatabaseErrors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs the import steps over one connection (and, for the import's copy, helper sessions on
 * connections of their own, see {@link Share}), batch by batch in keyset order: each batch is one
 * transaction holding its rows and its checkpoint, so a crash redoes at most that batch. Used by
 * {@code import} (target ticketing, import schema ticketing_import) and {@code plan} (both pg_temp).
 */
final class ImportSession {

    static final String ACTOR = "legacy-import";
    /** How much an import's connection writes before it has the kernel write it out ({@link #begin}): as a checkpoint does on Linux. */
    static final String FLUSH_AFTER = "256kB";

    /**
     * The locks (l) and their sessions (a) that keep writers or a trigger out of the legacy tables given as the one
     * parameter (plain readers do not): for {@link #holders} and {@link #clearAutovacuum}. Ends in a WHERE clause.
     */
    private static final String LOCK_HOLDERS = """
            pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.granted AND l.locktype = 'relation' AND l.mode <> 'AccessShareLock' AND l.pid <> pg_backend_pid()
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.relation = ANY (SELECT to_regclass(t) FROM unnest(?::text[]) t)""";

    /**
     * A session of pg_stat_activity (a) as the import names it to the operator: by its application_name (which
     * PostgreSQL shows to every role), else by its role, else by the kind of process.
     */
    static final String SESSION_NAME = """
            CASE WHEN a.application_name <> '' THEN a.application_name
                 WHEN a.usename IS NOT NULL THEN 'a session of ' || a.usename
                 ELSE coalesce(a.backend_type, 'a background process') END""";

    /** How long the attempts on a table wait off the lock queue for a background process they may not cancel; see {@link #clearAutovacuum}. */
    private static final Duration BACKGROUND_HOLDER_WAIT = Duration.ofMinutes(10);

    private final Connection connection;
    private final String target;
    private final String importSchema;
    private final ImportOptions options;
    private final PrintStream out;
    /** Waits and retries: the command line's error stream, beside the progress bars. */
    private final PrintStream notes;
    private boolean bulkLoad;
    /** See {@link #inOneTransaction}. */
    private boolean oneTransaction;
    private boolean deferIndexes;
    /** Whether this role may cancel an autovacuum (a superuser); see {@link #clearAutovacuum}. */
    private boolean mayCancelAutovacuum = true;
    private Duration briefLockWait;
    private long lockedAt;
    private long lastLockHeldMillis;

    ImportSession(Connection connection, String target, String importSchema, ImportOptions options, PrintStream out,
                  PrintStream notes) throws SQLException {
        this.connection = connection;
        this.notes = notes;
        this.target = target;
        this.importSchema = importSchema;
        this.options = options;
        this.out = out;
        connection.setAutoCommit(false);
    }

    /**
     * The table of the legacy ids a transaction's statements work on, {@code pg_temp.batch_ids}: the
     * transaction's own, dropped at its end, so that nothing of it outlives the transaction on the
     * server connection (which a transaction pooler hands to other clients between transactions).
     */
    void createBatchIds() throws SQLException {
        // Dropped first: in one transaction (plan, see inOneTransaction) the last batch's is still there.
        Jdbc.script(connection, "DROP TABLE IF EXISTS pg_temp.batch_ids; CREATE TEMP TABLE batch_ids (id text PRIMARY KEY) ON COMMIT DROP");
    }

    /**
     * From now on, each transaction of this session is a savepoint of the one transaction the connection has open
     * ({@code plan}'s, REPEATABLE READ: its rehearsal reads every legacy table as of one moment while the legacy app
     * writes on): a commit releases it, a rollback goes back to it.
     */
    void inOneTransaction() throws SQLException {
        oneTransaction = true;
        Jdbc.script(connection, "SAVEPOINT session_transaction");
    }

    private void commit() throws SQLException {
        if (oneTransaction) {
            Jdbc.script(connection, "RELEASE SAVEPOINT session_transaction; SAVEPOINT session_transaction");
        } else {
            connection.commit();
        }
    }

    private void rollback() throws SQLException {
        if (oneTransaction) {
            Jdbc.script(connection, "ROLLBACK TO SAVEPOINT session_transaction");
        } else {
            connection.rollback();
        }
    }

    /**
     * The support objects (quarantine, progress, functions) in the import schema. Returns the fingerprint of which emails
     * the database and this JVM lower differently ({@link EmailCase#install}).
     */
    static String installSupport(Connection connection, String importSchema) throws SQLException {
        // ICU's root rules lower an email as the application does (import-support.sql, normal_email); ICU serves UTF-8.
        boolean icu = Boolean.TRUE.equals(Jdbc.single(connection, "SELECT current_setting('server_encoding') = 'UTF8' "
                + "AND EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')"));
        Jdbc.script(connection, Jdbc.resource("/legacy/import-support.sql").replace("{i}", importSchema)
                .replace("{email_case}", icu ? " COLLATE \"und-x-icu\"" : ""));
        String emailCase = EmailCase.install(connection, importSchema);
        Jdbc.script(connection, StatusVocabulary.mapStatusFunction(importSchema));
        Jdbc.script(connection, StatusVocabulary.checkoutStatusFunction(importSchema));
        Jdbc.script(connection, Jdbc.resource("/legacy/import-policies.sql").replace("{i}", importSchema));
        return emailCase;
    }

    /**
     * The legacy rows one connection copies of a step: all of them, or ({@code of} > 1) those of
     * the events whose id hashes to {@code index}. Rows of different events never meet in a
     * step's rules (a seat's position, a seat's claims, a checkout's provider reference are all
     * within an event), so the shares copy at once without waiting for one another; each keeps
     * its own checkpoint.
     */
    record Share(int index, int of) {
        /** The share's row in the progress table. */
        String progressKey(ImportStep step) {
            return of == 1 ? step.kind() : step.kind() + " " + (index + 1) + "/" + of;
        }

        /** A condition on the step's legacy table selecting the share's rows. */
        String condition(ImportStep step) {
            return of == 1 ? "true" : "(hashtext(" + step.shareColumn() + ") & 2147483647) % " + of + " = " + index;
        }
    }

    /** Moves every row of the step's legacy table past its checkpoint on this connection alone. */
    long run(ImportStep step) throws SQLException {
        return run(step, List.of());
    }

    /**
     * Moves every row of the step's legacy table past the checkpoints, this session and
     * {@code helpers} each copying a share at once (a step that cannot be shared: this session
     * alone); then builds the indexes deferred for the step. Returns the rows handled.
     */
    long run(ImportStep step, List<ImportSession> helpers) throws SQLException {
        List<ImportSession> sessions = new ArrayList<>();
        sessions.add(this);
        if (step.shareColumn() != null) {
            sessions.addAll(helpers);
        }
        List<Share> shares = IntStream.range(0, sessions.size()).mapToObj(k -> new Share(k, sessions.size())).toList();
        Map<String, Map<String, Object>> progress = inTransaction(() -> Jdbc.query(connection,
                "SELECT step, last_id, rows_done, done FROM " + importSchema + ".progress WHERE step = ANY (?)",
                (Object) shares.stream().map(share -> share.progressKey(step)).toArray(String[]::new)))
                .stream().collect(Collectors.toMap(row -> (String) row.get("step"), row -> row));
        if (shares.stream().allMatch(share -> Boolean.TRUE.equals(progress.getOrDefault(share.progressKey(step), Map.of()).get("done")))) {
            // A run killed between the step's last batch and its indexes: the next steps read them.
            long started = System.nanoTime();
            int built = restoreIndexes(step.targetTables());
            if (built > 0) {
                out.printf(Locale.ROOT, "%s: copied by an earlier run, which left %d of its indexes and keys to build: built in %.1f s%n",
                        stepName(step), built, (System.nanoTime() - started) / 1e9);
            }
            return 0;
        }
        if (deferIndexes) {
            deferIndexes(step.targetTables(), step.deferredKeys());
        }
        long done = progress.values().stream().mapToLong(row -> ((Number) row.get("rows_done")).longValue()).sum();
        // Under the batches' lock_timeout, and retried as they are: a legacy migration may hold the table a while.
        long total = withRetries(() -> inTransaction(() -> Jdbc.count(connection, "SELECT count(*) FROM public."
                + Jdbc.quoteIdent(step.legacyTable()))));
        long handled;
        long started = System.nanoTime();
        AtomicBoolean failed = new AtomicBoolean();
        try (ProgressBar bar = progressBar(step, total, done)) {
            List<Parallel.Task<Long>> copies = new ArrayList<>();
            for (int k = 0; k < shares.size(); k++) {
                Share share = shares.get(k);
                ImportSession session = sessions.get(k);
                Map<String, Object> row = progress.getOrDefault(share.progressKey(step), Map.of());
                copies.add(() -> Boolean.TRUE.equals(row.get("done")) ? 0L : session.copy(step, share, (String) row.get("last_id"), bar, failed));
            }
            handled = Parallel.all(copies, failed).stream().mapToLong(Long::longValue).sum();
        }
        long copied = System.nanoTime();
        restoreIndexes(step.targetTables());
        // Where a copy's time goes, step by step, in the report (the progress bars go to stderr, and not at all with --no-progress).
        // `plan` rehearses the steps in temporary tables, whose indexes it never drops.
        out.printf(Locale.ROOT, "%s: %d rows%s in %.1f s%s%n", stepName(step), handled,
                done > 0 ? " (and " + done + " copied by an earlier run)" : "", (copied - started) / 1e9,
                deferIndexes ? String.format(Locale.ROOT, ", its indexes and keys built in %.1f s", (System.nanoTime() - copied) / 1e9) : "");
        return handled;
    }

    /** One share of a step, batch by batch from {@code lastId}; returns the rows it handled. */
    private long copy(ImportStep step, Share share, String lastId, ProgressBar bar, AtomicBoolean failed) throws SQLException {
        String sql = bulkLoad ? step.bulkSql(target, importSchema, options.currency()) : step.sql(target, importSchema, options.currency(), ImportStep.Pass.COPY);
        long handled = 0;
        while (!failed.get()) {
            String from = lastId;
            BatchResult batch = withRetries(() -> batch(step, share, sql, from));
            if (batch == null) {
                break;
            }
            lastId = batch.lastId();
            handled += batch.rows();
            if (bar != null) {
                bar.stepBy(batch.rows());
            }
            if (options.throttleMs() > 0) {
                sleep(options.throttleMs());
            }
        }
        return handled;
    }

    /**
     * A session on another connection that copies shares of the steps for this one (see
     * {@link #run(ImportStep, List)}), in the same manner: bulk or not, the same options.
     */
    ImportSession helper(Connection other) throws SQLException {
        ImportSession helper = new ImportSession(other, target, importSchema, options, out, notes);
        helper.bulkLoad = bulkLoad;
        return helper;
    }

    /**
     * From now on, each step's copy drops the non-unique indexes of the tables it writes, and the
     * unique keys it may defer, and builds them again when it is done (see {@link #deferIndexes}).
     * For the import only: the new schema serves no traffic before its cut-over. Requires owning
     * the tables; without, the copy keeps them (slower) and says so.
     */
    void deferIndexesDuringCopy() {
        deferIndexes = true;
    }

    /**
     * Drops the non-unique indexes of {@code tables} in the target schema and the unique and
     * primary keys named in {@code keys}, with the foreign keys that reference those, their
     * definitions kept in the import schema's deferred_index, in one transaction. Other unique
     * indexes stay: they hold invariants that the legacy data does not, the batches' own checks read
     * them, and a batch they refuse is retried row by row, each row refused quarantined.
     */
    void deferIndexes(List<String> tables, List<String> keys) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        try {
            inTransaction(() -> {
                // Definitions that name every table with its schema, whatever the search path of the run that builds them.
                Jdbc.script(connection, "SET LOCAL search_path = pg_catalog");
                // A foreign key goes before the key it references and is built again after it (build_order 1), kept
                // under the referenced table, whose step builds both; checked when it is built (RI_Initial_Check,
                // one join over the rows, not a probe a row).
                List<Map<String, Object>> indexes = Jdbc.query(connection, """
                        WITH keys AS (
                            SELECT c.oid, c.conname, c.conindid, t.relname, n.nspname
                              FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                             WHERE n.nspname = ? AND t.relname = ANY (?) AND c.contype IN ('u', 'p') AND c.conname = ANY (?))
                        SELECT ix.relname AS index_name, t.relname AS table_name, pg_get_indexdef(i.indexrelid) AS definition,
                               format('DROP INDEX %I.%I', n.nspname, ix.relname) AS removal, 0 AS build_order
                          FROM pg_index i JOIN pg_class ix ON ix.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
                          JOIN pg_namespace n ON n.oid = t.relnamespace
                         WHERE n.nspname = ? AND t.relname = ANY (?) AND NOT i.indisunique
                           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                        UNION ALL
                        SELECT k.conname, k.relname,
                               format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', k.nspname, k.relname, k.conname, pg_get_constraintdef(k.oid)),
                               format('ALTER TABLE %I.%I DROP CONSTRAINT %I', k.nspname, k.relname, k.conname), 0
                          FROM keys k
                        UNION ALL
                        SELECT f.conname, k.relname,
                               format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, t.relname, f.conname, pg_get_constraintdef(f.oid)),
                               format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, t.relname, f.conname), 1
                          FROM keys k JOIN pg_constraint f ON f.contype = 'f' AND f.conindid = k.conindid
                          JOIN pg_class t ON t.oid = f.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                         ORDER BY build_order DESC, 1""", target, tables.toArray(new String[0]), keys.toArray(new String[0]),
                        target, tables.toArray(new String[0]));
                for (Map<String, Object> index : indexes) {
                    Jdbc.update(connection, "INSERT INTO " + importSchema + ".deferred_index (index_name, table_name, definition, build_order) "
                            + "VALUES (?, ?, ?, ?)", index.get("index_name"), index.get("table_name"), index.get("definition"), index.get("build_order"));
                    Jdbc.script(connection, (String) index.get("removal"));
                }
                return null;
            });
        } catch (SQLException e) {
            if (!DatabaseErrors.isPermissionDenied(e)) {
                throw e;
            }
            deferIndexes = false;
            out.println("copying with every index of the new schema in place (slower): this role does not own its tables");
        }
    }

    /** Builds again the deferred indexes of {@code tables} and forgets them; returns how many it built. */
    int restoreIndexes(List<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return 0;
        }
        return restoreIndexesWhere("table_name = ANY (?)", (Object) tables.toArray(new String[0]));
    }

    /** Builds again every deferred index: before anything but the copy reads the new schema. Returns how many it built. */
    int restoreAllIndexes() throws SQLException {
        return restoreIndexesWhere("true");
    }

    private int restoreIndexesWhere(String condition, Object... parameters) throws SQLException {
        return inTransaction(() -> {
            // Sorting a million keys in memory instead of in temporary files; on as many cores as the copy
            // takes (its connections), leaving the others to the legacy app, as its batches do (see begin()).
            Jdbc.script(connection, "SET LOCAL maintenance_work_mem = '256MB'");
            Jdbc.query(connection, "SELECT set_config('max_parallel_maintenance_workers', ?, true)",
                    String.valueOf(options.workers() - 1));
            List<Map<String, Object>> indexes = Jdbc.query(connection, "WITH built AS (DELETE FROM " + importSchema + ".deferred_index WHERE "
                    + condition + " RETURNING definition, build_order) SELECT definition FROM built ORDER BY build_order", parameters);
            for (Map<String, Object> index : indexes) {
                Jdbc.script(connection, (String) index.get("definition"));
            }
            return indexes.size();
        });
    }

    private record BatchResult(String lastId, long rows) {
    }

    /** One batch in one transaction with its checkpoint; null (and the step marked done) when no rows are left. */
    private BatchResult batch(ImportStep step, Share share, String sql, String lastId) throws SQLException {
        beginBulk();
        createBatchIds();
        Jdbc.update(connection, "INSERT INTO pg_temp.batch_ids " + nextIds(step, share, lastId, options.batchSize()),
                lastId == null ? new Object[0] : new Object[]{lastId});
        // Row counts for the planner: with none it guesses, and scans a whole legacy table per batch.
        Jdbc.script(connection, "ANALYZE pg_temp.batch_ids");
        Map<String, Object> range = Jdbc.query(connection, "SELECT count(*) AS n, max(id) AS last FROM pg_temp.batch_ids").get(0);
        long rows = ((Number) range.get("n")).longValue();
        if (rows == 0) {
            checkpoint(step, share, lastId, 0, true);
            commit();
            return null;
        }
        String last = (String) range.get("last");
        try {
            Jdbc.script(connection, sql);
        } catch (SQLException e) {
            if (!DatabaseErrors.isDataRefused(e)) {
                throw e;
            }
            rollback();
            return rowByRow(step, share, sql, lastId, (int) rows, e);
        }
        checkpoint(step, share, last, rows, false);
        commit();
        return new BatchResult(last, rows);
    }

    /**
     * A batch the database refused as a whole (a rule the classification does not know): each row
     * alone, and a row still refused is quarantined with the database's reason.
     */
    private BatchResult rowByRow(ImportStep step, Share share, String sql, String lastId, int rows, SQLException cause) throws SQLException {
        String table = "public." + Jdbc.quoteIdent(step.legacyTable());
        begin();
        List<String> ids = Jdbc.query(connection, nextIds(step, share, lastId, rows), lastId == null ? new Object[0] : new Object[]{lastId})
                .stream().map(row -> (String) row.get("id")).toList();
        rollback();
        notes.println((lastId == null ? "first batch of " + step.legacyTable() : "batch of " + step.legacyTable() + " after " + lastId) + " refused (" + cause.getMessage().lines().findFirst().orElse("")
                + "); retrying its " + ids.size() + " rows one by one");
        for (String id : ids) {
            beginBulk();
            createBatchIds();
            Jdbc.update(connection, "INSERT INTO pg_temp.batch_ids VALUES (?)", id);
            try {
                Jdbc.script(connection, sql);
            } catch (SQLException e) {
                if (!DatabaseErrors.isDataRefused(e)) {
                    throw e;
                }
                rollback();
                begin();
                String reason = "rejected by the database: " + DatabaseErrors.oneLine(e);
                Jdbc.update(connection, "INSERT INTO " + importSchema + ".quarantine (table_name, legacy_id, batch_key, reason, payload) "
                        + "SELECT ?, id, id, ?, to_jsonb(x) FROM " + table + " x WHERE id = ? "
                        + "ON CONFLICT (table_name, md5(legacy_id)) DO UPDATE SET reason = excluded.reason, payload = excluded.payload",
                        step.legacyTable(), reason, id);
                if (step == ImportStep.PAYMENT_SESSION) {
                    Jdbc.update(connection, "INSERT INTO " + importSchema + ".quarantine (table_name, legacy_id, batch_key, reason, payload) "
                            + "SELECT '_PaymentSessionToSeat', " + ImportStep.pairKey("j.\"A\"", "j.\"B\"") + ", j.\"A\", 'session quarantined', to_jsonb(j) "
                            + "FROM public.\"_PaymentSessionToSeat\" j WHERE j.\"A\" = ? ON CONFLICT (table_name, md5(legacy_id)) DO NOTHING", id);
                }
            }
            checkpoint(step, share, id, 1, false);
            commit();
        }
        return new BatchResult(ids.get(ids.size() - 1), ids.size());
    }

    /** The query of the share's next {@code limit} legacy ids after {@code lastId} (its parameter, when not null). */
    private static String nextIds(ImportStep step, Share share, String lastId, int limit) {
        return "SELECT id FROM public." + Jdbc.quoteIdent(step.legacyTable()) + " WHERE " + share.condition(step)
                + (lastId == null ? "" : " AND id > ?") + " ORDER BY id LIMIT " + limit;
    }

    private void checkpoint(ImportStep step, Share share, String lastId, long rows, boolean done) throws SQLException {
        Jdbc.update(connection, "INSERT INTO " + importSchema + ".progress AS p (step, last_id, rows_done, batches, done) "
                + "VALUES (?, ?, ?, 1, ?) ON CONFLICT (step) DO UPDATE SET last_id = excluded.last_id, "
                + "rows_done = p.rows_done + excluded.rows_done, batches = p.batches + 1, done = excluded.done, updated_at = now()",
                share.progressKey(step), lastId, rows, done);
    }

    /**
     * The copy into tables that serve no traffic yet, and the catch-up's rounds before the
     * cut-over, skip the new schema's triggers, foreign keys' included ({@code
     * session_replication_role = replica}, for their transactions only): they write their audit
     * rows themselves, one statement a batch, delete the rows that a cascade would, and leave the
     * summaries to a recount; the copy's foreign keys are checked set-based once it is done (and
     * {@code verify} checks them all). Returns whether the role may do so (a superuser, or one granted
     * {@code SET ON PARAMETER session_replication_role}); {@link #beginBulk} then starts such transactions.
     */
    boolean useBulkLoad() throws SQLException {
        begin();
        try {
            Jdbc.script(connection, "SET LOCAL session_replication_role = replica");
            bulkLoad = true;
        } catch (SQLException e) {
            if (!DatabaseErrors.isPermissionDenied(e)) {
                throw e;
            }
        } finally {
            rollback();
        }
        return bulkLoad;
    }

    /** Starts a transaction ({@link #begin}) that writes with the new schema's triggers off when {@link #useBulkLoad} allowed it. */
    void beginBulk() throws SQLException {
        begin();
        if (bulkLoad) {
            Jdbc.script(connection, "SET LOCAL session_replication_role = replica");
        }
    }

    boolean bulkLoad() {
        return bulkLoad;
    }

    /**
     * Starts a transaction: bounded lock waits, the audit actor of the new schema's triggers, and no
     * parallel query, so that the import's statements take as many of the server's cores as it has
     * connections and leave the others to the legacy app (with parallel workers the app's p99 during a
     * two-worker copy of a 1M-seat database was some 20 % higher, for no shorter copy; docs/benchmarks.md).
     * The index builds after each table keep to as many cores too ({@link #restoreIndexes}).
     * <p>
     * And the pages the import writes go to the disk as it writes them ({@code backend_flush_after}, unless the
     * operator set it): a copy of gigabytes through a stock server's 128 MB of shared buffers otherwise leaves them
     * in the kernel's cache until its writeback or a checkpoint flushes a gigabyte at once, and every legacy commit
     * that waits for its WAL to reach the disk waits behind them (the app's p99 during a two-worker copy of a
     * 1M-seat database 20–22 ms against 24–34 ms, for a copy some 8 % longer; docs/benchmarks.md).
     */
    void begin() throws SQLException {
        Jdbc.script(connection, "SET LOCAL lock_timeout = '" + options.lockTimeout().toMillis() + "ms'");
        // The copy breaks the seat/claim rules between its batches and makes them agree in its last step (V9).
        Jdbc.query(connection, "SELECT set_config('ticketing.actor', ?, true), set_config('ticketing.check_invariants', 'off', true), "
                + "set_config('max_parallel_workers_per_gather', '0', true), "
                + "CASE WHEN current_setting('backend_flush_after') = '0' THEN set_config('backend_flush_after', ?, true) END",
                ACTOR, FLUSH_AFTER);
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    <T> T inTransaction(Work<T> work) throws SQLException {
        try {
            begin();
            T result = work.run();
            commit();
            return result;
        } catch (SQLException e) {
            rollback();
            throw e;
        }
    }

    /** Lock timeouts, deadlocks and serialization failures are retried with a growing pause. */
    <T> T withRetries(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (SQLException e) {
                rollback();
                if (!(DatabaseErrors.isLockTimeout(e) || DatabaseErrors.isTransientConflict(e))) {
                    throw e;
                }
                if (attempt > options.retries()) {
                    // One line that says what to do (no SQLSTATE: not the generic advice of a lock timeout).
                    throw new SQLException("gave up after " + options.retries() + " retries: " + e.getMessage().lines().findFirst().orElse("")
                            + " (" + holders(ImportStep.LEGACY_TABLES) + "); run the import again once that ends, or raise "
                            + "--lock-timeout or --retries", null, e);
                }
                notes.println("lock not available or a conflict (" + e.getMessage().lines().findFirst().orElse("") + "), retry "
                        + attempt + " of " + options.retries());
                sleep(200L * attempt);
            }
        }
    }

    /**
     * Runs {@code sql}, which takes locks that legacy transactions hold or want, waiting for them
     * at most half of PostgreSQL's deadlock_timeout (250 ms at most): a legacy transaction that
     * queues behind this one therefore never waits long enough to run the deadlock check, and it is
     * this statement that gives up, never the legacy transaction. Use inside
     * {@link #withBriefLockWaits}, which tries again.
     */
    void lockBriefly(String sql) throws SQLException {
        if (briefLockWait == null) {
            briefLockWait = briefLockWait(connection);
        }
        withStatementTimeout(connection, briefLockWait, sql);
        lockedAt = System.nanoTime();
    }

    /**
     * Runs {@code sql} with a statement_timeout of {@code wait}, then the session's own again: not the role's or the
     * database's, which {@code SET … TO DEFAULT} would bring back (the legacy commands turn those off for their sessions).
     * <p>
     * Its callers take a cancellation (57014) for this wait's end and try again; one that comes before the wait could
     * have ended is a cancel request from outside (an operator's {@code pg_cancel_backend}), which means stop: it is
     * thrown without a SQLSTATE, so that no caller retries it.
     */
    static void withStatementTimeout(Connection connection, Duration wait, String sql) throws SQLException {
        long started = System.nanoTime();
        try {
            Object own = Jdbc.single(connection, "SELECT current_setting('statement_timeout')");
            Jdbc.script(connection, "SET LOCAL statement_timeout = '" + wait.toMillis() + "ms'");
            Jdbc.script(connection, sql);
            Jdbc.query(connection, "SELECT set_config('statement_timeout', ?, true)", own);
        } catch (SQLException e) {
            if (DatabaseErrors.isCancelled(e) && System.nanoTime() - started < wait.toNanos()) {
                throw new SQLException("stopped: a cancel request from outside (pg_cancel_backend, or a client's cancel) ended its "
                        + "wait for the legacy tables' locks", null, e);
            }
            throw e;
        }
    }

    /**
     * How long a statement that takes legacy tables' locks may wait for them: half of PostgreSQL's deadlock_timeout (250 ms
     * at most), so that a legacy transaction queued behind it never waits long enough to run the deadlock check.
     */
    static Duration briefLockWait(Connection connection) throws SQLException {
        long deadlockTimeout = ((Number) Jdbc.single(connection, "SELECT setting::bigint FROM pg_settings WHERE name = 'deadlock_timeout'")).longValue();
        return Duration.ofMillis(Math.max(10, Math.min(250, deadlockTimeout / 2)));
    }

    /** After the commit of a transaction that used {@link #lockBriefly}: how long the locks were held. */
    void lockReleased() {
        lastLockHeldMillis = lockedAt == 0 ? 0 : (System.nanoTime() - lockedAt) / 1_000_000;
        lockedAt = 0;
    }

    long lastLockHeldMillis() {
        return lastLockHeldMillis;
    }

    /**
     * Work that takes legacy tables' locks through {@link #lockBriefly}: when they were not to be
     * had at once, it rolls back, lets the legacy app go on for a moment and tries again.
     */
    <T> T withBriefLockWaits(String what, List<String> legacyTables, Work<T> work) throws SQLException {
        return withBriefLockWaits(what, legacyTables, work, () -> null);
    }

    /**
     * As {@link #withBriefLockWaits(String, List, Work)}, running {@code meanwhile} (its own transactions) after every
     * tenth attempt that failed: the cut-over carries over what the legacy app wrote while it waited, so that the
     * locked round, once it has its locks, has no more to do than the rounds before left it.
     */
    <T> T withBriefLockWaits(String what, List<String> legacyTables, Work<T> work, Work<?> meanwhile) throws SQLException {
        int attempts = Math.max(20, options.retries() * 20);
        long offQueueUntil = System.nanoTime() + BACKGROUND_HOLDER_WAIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                clearAutovacuum(what, legacyTables, offQueueUntil);
                return work.run();
            } catch (SQLException e) {
                rollback();
                lockedAt = 0;
                boolean busy = DatabaseErrors.isCancelled(e) || DatabaseErrors.isLockTimeout(e) || DatabaseErrors.isTransientConflict(e);
                if (!busy) {
                    throw e;
                }
                if (attempt >= attempts) {
                    throw new SQLException("could not take " + what + " in " + attempts + " brief attempts: the legacy tables were "
                            + "busy every time (last " + holders(legacyTables) + "); run the import again when the legacy app is quieter, "
                            + "or raise --retries", null, e); // no SQLSTATE: the line says what to do, not the lock timeout's advice
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    notes.println("waiting for " + what + ": " + holders(legacyTables) + " (attempt " + attempt + " of " + attempts + ")");
                }
                if (attempt % 10 == 0) {
                    meanwhile.run();
                }
                sleep(50 + ThreadLocalRandom.current().nextLong(200));
            }
        }
    }

    /**
     * Before an attempt on {@code legacyTables}: an autovacuum that holds one of them (it comes to freshly loaded or
     * busy tables at any time) would keep the attempt queued for its whole brief wait, and every legacy write queued
     * behind the attempt with it, attempt after attempt. PostgreSQL itself cancels an autovacuum that blocks a lock
     * request for deadlock_timeout, unless it prevents wraparound; the import does so at once (autovacuum comes back
     * to the table later). Where it may not (a wraparound vacuum; a role that is not a superuser may not signal
     * autovacuum, nor tell it from other background processes), it waits for the process to let go without queuing,
     * until {@code offQueueUntil} ({@link System#nanoTime}; {@link #BACKGROUND_HOLDER_WAIT} after the first attempt);
     * then the attempts queue as they would. Best effort: a failed look-up lets the attempt go.
     */
    private void clearAutovacuum(String what, List<String> legacyTables, long offQueueUntil) throws SQLException {
        long lastSaid = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
        Set<String> cancelled = new HashSet<>();
        while (System.nanoTime() - offQueueUntil < 0) {
            List<Map<String, Object>> holders;
            try {
                holders = backgroundHolders(legacyTables);
            } catch (SQLException e) {
                rollback();
                if (!DatabaseErrors.isPermissionDenied(e) || !mayCancelAutovacuum) {
                    return;
                }
                mayCancelAutovacuum = false; // pg_cancel_backend refused: look again without it
                continue;
            }
            rollback();
            if (holders.isEmpty()) {
                return;
            }
            for (Map<String, Object> holder : holders) {
                boolean autovacuum = "autovacuum worker".equals(holder.get("backend_type"));
                String who = (autovacuum ? "the autovacuum of " : "a background process holding ") + holder.get("table_name")
                        + " (pid " + holder.get("pid") + ")";
                if (Boolean.TRUE.equals(holder.get("cancelled")) && cancelled.add(holder.get("pid") + " " + holder.get("table_name"))) {
                    notes.println(what + ": cancelled " + who + ", which held the table; autovacuum comes back to it later");
                } else if (holder.get("cancelled") == null && System.nanoTime() - lastSaid > TimeUnit.SECONDS.toNanos(30)) {
                    notes.println("waiting for " + what + ": " + who + "; waiting for it to finish without holding up the legacy app "
                            + (Boolean.TRUE.equals(holder.get("wraparound")) ? "(a vacuum that prevents wraparound is never cancelled)"
                                    : "(an import as a superuser cancels an autovacuum)"));
                    lastSaid = System.nanoTime();
                }
            }
            // A cancelled autovacuum lets go at its next check for interrupts: look again soon.
            sleep(holders.stream().allMatch(holder -> holder.get("cancelled") != null) ? 20 : 200);
        }
    }

    /**
     * The background processes (no role: autovacuum, never the legacy app) holding a lock on {@code tables} that
     * keeps writers or a trigger out, each autovacuum among them that does not prevent wraparound cancelled in the
     * same statement when this role may ({@code cancelled}: whether the signal was sent; null if not tried).
     */
    private List<Map<String, Object>> backgroundHolders(List<String> legacyTables) throws SQLException {
        return Jdbc.query(connection, """
                SELECT pid, table_name, backend_type, wraparound,
                       CASE WHEN ? AND backend_type = 'autovacuum worker' AND NOT wraparound THEN pg_cancel_backend(pid) END AS cancelled
                  FROM (SELECT DISTINCT a.pid, l.relation::regclass::text AS table_name, a.backend_type,
                                        coalesce(a.query LIKE '%%(to prevent wraparound)%%', false) AS wraparound
                          FROM %s
                           AND a.usesysid IS NULL) h -- a background process (a role that may not read all statistics sees
                                                     -- no backend_type)
                 ORDER BY pid, table_name""".formatted(LOCK_HOLDERS), mayCancelAutovacuum, legacyRelations(legacyTables));
    }

    /**
     * Who holds a lock on {@code legacyTables} that keeps writers or a trigger out (plain readers do not), for the
     * operator: a session by its application_name (which PostgreSQL shows to every role), else by its role, else the
     * kind of process (autovacuum; a role that may not read all statistics sees only "a background process").
     * Best effort: a failure here says nothing of the wait itself.
     */
    private String holders(List<String> legacyTables) {
        try {
            String holders = holders(connection, legacyTables);
            rollback();
            return holders;
        } catch (SQLException e) {
            try {
                rollback();
            } catch (SQLException ignored) {
                // the next attempt finds the connection as it is
            }
            return "the tables were busy";
        }
    }

    /** Who holds or waits for locks on {@code legacyTables}, as an operator reads it ("held by …"). */
    static String holders(Connection connection, List<String> legacyTables) throws SQLException {
        String holders = (String) Jdbc.single(connection, """
                SELECT string_agg(holder, ', ' ORDER BY holder)
                  FROM (SELECT DISTINCT %s || ' (pid ' || a.pid || ')' AS holder
                          FROM %s) h""".formatted(SESSION_NAME, LOCK_HOLDERS), (Object) legacyRelations(legacyTables));
        return holders == null ? "the tables were busy (their holders had finished when asked)" : "held by " + holders;
    }

    /** The legacy tables' qualified names, for {@link #LOCK_HOLDERS}. */
    private static String[] legacyRelations(List<String> legacyTables) {
        return legacyTables.stream().map(table -> "public." + Jdbc.quoteIdent(table)).toArray(String[]::new);
    }

    private ProgressBar progressBar(ImportStep step, long total, long done) {
        if (!options.progressBar()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(String.format("%-15s", stepName(step))).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).showSpeed().setUpdateIntervalMillis(500)
                .startsFrom(done, Duration.ZERO).continuousUpdate().build();
    }

    /** A step as the operator reads it: its legacy table, or what it does when it reads a table again. */
    private static String stepName(ImportStep step) {
        return switch (step) {
            case RECONCILE -> "seat statuses";
            case CLAIMS -> "seat claims";
            default -> step.legacyTable();
        };
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Connection connection() {
        return connection;
    }
}
