package io.ticketing.migration.schema;

import io.ticketing.database.DatabaseErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import javax.sql.DataSource;

/**
 * Step 6 of the schema guide, the schema's upkeep: what is wrong or worth doing in schema
 * {@value SchemaMigrator#SCHEMA} (the seat and claim rules, summary drift, checkouts the sweeper could not
 * expire, the sales view's age, invalid, unused and bloated indexes, dead tuples and statistics, time in
 * triggers and the slowest statements), and the repairs: summaries recounted event by event under the
 * application's own locks, indexes rebuilt concurrently one at a time, tables analyzed, the view refreshed.
 * Plain JDBC, so that it runs from the command line against any database of the schema.
 */
public final class Maintenance {

    /** How much a finding matters: a problem makes {@code maintain} exit with 1; advice does not. */
    public enum Severity { OK, ADVICE, PROBLEM }

    /** One check's result: its count, what it means, and a few examples (ids, names). */
    public record Finding(String section, String check, Severity severity, long count, String detail, List<String> examples) {
        public Finding {
            examples = List.copyOf(examples);
        }
    }

    /** What was done by a repair: one line each. */
    public record Action(String what, boolean done, String detail) {
    }

    /**
     * Thresholds. An index is bloated past {@code bloatRatio} of its size (estimated) once it is at least
     * {@code bloatMinBytes}; a table needs vacuum past {@code deadTupleRatio} dead tuples (and at least
     * {@code deadTupleMin}); the sales view is stale past {@code salesViewMaxAge}; an open checkout is stuck
     * when its expiry is {@code stuckCheckoutAfter} past, and so is a running event cancellation whose last batch
     * is that old.
     */
    public record Settings(double bloatRatio, long bloatMinBytes, double deadTupleRatio, long deadTupleMin,
                           Duration salesViewMaxAge, Duration stuckCheckoutAfter, Duration lockTimeout, int retries) {

        public static Settings defaults() {
            return new Settings(0.5, 8L * 1024 * 1024, 0.2, 1_000, Duration.ofHours(1), Duration.ofMinutes(5),
                    Duration.ofSeconds(2), 5);
        }
    }

    static final int EXAMPLES = 5;
    private static final String SCHEMA = SchemaMigrator.SCHEMA;

    private final DataSource dataSource;
    private final Settings settings;

    /**
     * Why this session may not write, if it may not: "a standby" (in recovery), or "default_transaction_read_only" (set
     * for the role, the database or the URL). A repair, an import or a rollback there fails on its first write, one
     * that builds an index CONCURRENTLY after leaving its half-built copy behind: asked first, it is refused whole.
     */
    public static Optional<String> readOnly(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('transaction_read_only') = 'on', pg_is_in_recovery()")) {
            row.next();
            return !row.getBoolean(1) ? Optional.empty()
                    : Optional.of(row.getBoolean(2) ? "a standby" : "default_transaction_read_only");
        }
    }

    public Maintenance(DataSource dataSource, Settings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** The names of the checks {@link #check} runs, in order: one step each of a progress bar. */
    public static final List<String> SECTIONS = List.of("invariants", "summaries", "checkouts", "cancellations", "sales view", "indexes", "tables",
            "triggers", "statements");

    /** Every check, read-only; {@code progress} hears each section's name as it starts. */
    public List<Finding> check(Consumer<String> progress) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            progress.accept("invariants");
            for (SchemaInvariants.Violations found : SchemaInvariants.find(connection, EXAMPLES)) {
                if (found.check().equals(SchemaInvariants.SUMMARY_DRIFT)) {
                    continue; // its own section, with what differs
                }
                findings.add(new Finding("invariants", found.check(), found.count() == 0 ? Severity.OK : Severity.PROBLEM,
                        found.count(), found.count() == 0 ? "none" : "the database's guards (V9) keep new writes from this; "
                        + "these rows were written before or past them, and no option of maintain repairs them: fix them by hand "
                        + "(docs/operator-guide.md, \"The database's guards\")", found.examples()));
            }
            progress.accept("summaries");
            findings.add(summaryDrift(connection));
            progress.accept("checkouts");
            findings.add(stuckCheckouts(connection));
            findings.add(longProcessingCheckouts(connection));
            progress.accept("cancellations");
            findings.add(stuckCancellations(connection));
            findings.add(cancelledEventsStillSelling(connection));
            progress.accept("sales view");
            findings.add(salesView(connection));
            progress.accept("indexes");
            findings.addAll(indexes(connection));
            progress.accept("tables");
            findings.addAll(tables(connection));
            progress.accept("triggers");
            findings.add(triggers(connection));
            progress.accept("statements");
            findings.add(statements(connection));
        }
        return findings;
    }

    private Finding summaryDrift(Connection connection) throws SQLException {
        List<String> examples = new ArrayList<>();
        long count = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT d.event_id, (SELECT string_agg(k || ' ' || coalesce(d.stored ->> k, 'none') || ' -> ' || (d.recounted ->> k), ', ' ORDER BY k)
                                           FROM jsonb_object_keys(d.recounted) k
                                          WHERE k <> 'event_id' AND (d.stored ->> k) IS DISTINCT FROM (d.recounted ->> k)) AS differs
                       FROM ticketing.event_summary_drift d ORDER BY d.event_id""")) {
            while (rows.next()) {
                if (count++ < EXAMPLES) {
                    examples.add("event " + rows.getString(1) + ": " + rows.getString(2));
                }
            }
        }
        return new Finding("summaries", SchemaInvariants.SUMMARY_DRIFT, count == 0 ? Severity.OK : Severity.PROBLEM, count,
                count == 0 ? "every event's counters equal a recount" : "--repair recounts them, event by event", examples);
    }

    private Finding stuckCheckouts(Connection connection) throws SQLException {
        List<String> examples = new ArrayList<>();
        long count = 0;
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT id, expires_at FROM ticketing.payment_session
                 WHERE status = 'OPEN' AND expires_at < now() - ?::interval ORDER BY expires_at, id""")) {
            statement.setString(1, settings.stuckCheckoutAfter().toSeconds() + " seconds");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (count++ < EXAMPLES) {
                        examples.add("checkout " + rows.getString(1) + " (expired " + rows.getObject(2, OffsetDateTime.class) + ")");
                    }
                }
            }
        }
        return new Finding("checkouts", "open checkouts the sweeper has not expired", count == 0 ? Severity.OK : Severity.PROBLEM,
                count, count == 0 ? "none past their expiry by more than " + human(settings.stuckCheckoutAfter())
                : "past their expiry by more than " + human(settings.stuckCheckoutAfter()) + ": is `serve` running? its log "
                + "names each checkout it could not expire (metric ticketing_checkouts_expiry_failed_total)", examples);
    }

    /** How long a payment may stay in the provider's hands before its checkout is named: a day. */
    static final Duration PROCESSING_FOR_LONG = Duration.ofDays(1);

    /**
     * Checkouts PROCESSING for more than {@link #PROCESSING_FOR_LONG}: the provider took the payment and never reported
     * its end, so the checkout never expires and its seats stay held. Advice, not a fault of this application's.
     */
    private Finding longProcessingCheckouts(Connection connection) throws SQLException {
        List<String> examples = new ArrayList<>();
        long count = 0;
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT p.id, p.updated_at, (SELECT count(*) FROM ticketing.payment_session_seat s
                                             WHERE s.event_id = p.event_id AND s.payment_session_id = p.id AND s.released_at IS NULL)
                  FROM ticketing.payment_session p
                 WHERE p.status = 'PROCESSING' AND p.updated_at < now() - ?::interval ORDER BY p.updated_at, p.id""")) {
            statement.setString(1, PROCESSING_FOR_LONG.toSeconds() + " seconds");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (count++ < EXAMPLES) {
                        examples.add("checkout " + rows.getString(1) + " (processing since " + rows.getObject(2, OffsetDateTime.class)
                                + ", holding " + rows.getLong(3) + (rows.getLong(3) == 1 ? " seat)" : " seats)"));
                    }
                }
            }
        }
        return new Finding("checkouts", "checkouts whose payment has been processing for more than a day",
                count == 0 ? Severity.OK : Severity.ADVICE, count, count == 0 ? "none"
                : "the payment provider has not reported how these payments ended, and their seats stay held until it does: "
                + "ask it (its `succeeded` or `failed` report settles each), or cancel the event to release them", examples);
    }

    private Finding stuckCancellations(Connection connection) throws SQLException {
        List<String> examples = new ArrayList<>();
        long count = 0;
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT event_id, updated_at, bookings_done, bookings_total FROM ticketing.event_cancellation
                 WHERE state = 'RUNNING' AND updated_at < now() - ?::interval ORDER BY updated_at, event_id""")) {
            statement.setString(1, settings.stuckCheckoutAfter().toSeconds() + " seconds");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (count++ < EXAMPLES) {
                        examples.add("event " + rows.getString(1) + " (last batch " + rows.getObject(2, OffsetDateTime.class)
                                + ", bookings " + rows.getLong(3) + " of " + rows.getLong(4) + ")");
                    }
                }
            }
        }
        return new Finding("cancellations", "event cancellations not progressing", count == 0 ? Severity.OK : Severity.PROBLEM,
                count, count == 0 ? "none whose last batch is older than " + human(settings.stuckCheckoutAfter())
                : "no batch for more than " + human(settings.stuckCheckoutAfter()) + ": is `serve` running? its log names the "
                + "batch that failed; `./ticketing cancel-event EVENT_ID` runs the rest and shows the error", examples);
    }

    /**
     * Cancelled events that still have live bookings or running checkouts, with no cancellation running for them: an
     * event the legacy app cancelled is migrated as it is, its bookings too (unrefunded, their tickets refused at the
     * door); this application's own cancellation leaves none.
     */
    private Finding cancelledEventsStillSelling(Connection connection) throws SQLException {
        List<String> examples = new ArrayList<>();
        long count = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT e.id, l.bookings, l.checkouts
                       FROM ticketing.event e
                      CROSS JOIN LATERAL (SELECT (SELECT count(*) FROM ticketing.booking b
                                                   WHERE b.event_id = e.id AND b.status <> 'CANCELLED') AS bookings,
                                                 (SELECT count(*) FROM ticketing.payment_session p
                                                   WHERE p.event_id = e.id AND p.status IN ('OPEN', 'PROCESSING')) AS checkouts) l
                      WHERE e.status = 'CANCELLED' AND l.bookings + l.checkouts > 0
                        AND NOT EXISTS (SELECT 1 FROM ticketing.event_cancellation c WHERE c.event_id = e.id AND c.state = 'RUNNING')
                      ORDER BY e.id""")) {
            while (rows.next()) {
                if (count++ < EXAMPLES) {
                    examples.add("event " + rows.getString(1) + " (" + rows.getLong(2) + " live bookings, " + rows.getLong(3)
                            + " running checkouts)");
                }
            }
        }
        return new Finding("cancellations", "cancelled events with live bookings or running checkouts", count == 0 ? Severity.OK
                : Severity.PROBLEM, count, count == 0 ? "none" : "no cancellation is running for them (an event the legacy app "
                + "cancelled is migrated as it is): `./ticketing cancel-event EVENT_ID --reason TEXT` or POST /events/{id}/cancel "
                + "cancels them and requests the paid bookings' refunds", examples);
    }

    private Finding salesView(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT m.ispopulated, r.refreshed_at, r.duration_ms, extract(epoch FROM now() - r.refreshed_at)::bigint AS age
                       FROM pg_matviews m LEFT JOIN ticketing.sales_summary_refresh r ON true
                      WHERE m.schemaname = 'ticketing' AND m.matviewname = 'event_sales_summary'""")) {
            row.next();
            String check = "event_sales_summary refreshed";
            if (!row.getBoolean(1)) {
                return new Finding("sales view", check, Severity.PROBLEM, 1, "never populated: run with --refresh", List.of());
            }
            if (row.getObject(2) == null) {
                return new Finding("sales view", check, Severity.ADVICE, 0,
                        "no refresh recorded yet (`serve` refreshes it on a schedule; --refresh does it now)", List.of());
            }
            Duration age = Duration.ofSeconds(row.getLong(4));
            String detail = human(age) + " ago, in " + row.getLong(3) + " ms";
            return age.compareTo(settings.salesViewMaxAge()) > 0
                    ? new Finding("sales view", check, Severity.PROBLEM, 1, detail + ": older than "
                    + human(settings.salesViewMaxAge()) + " (is `serve` running?); --refresh does it now", List.of())
                    : new Finding("sales view", check, Severity.OK, 0, detail, List.of());
        }
    }

    /** Per index of the schema: valid, scanned, and its estimated bloat (btree, from its tuples' widths). */
    private static final String INDEXES = """
            SELECT c.relname AS name, t.relname AS table_name, i.indisvalid AS valid, i.indisunique OR i.indisprimary AS is_unique,
                   coalesce(s.idx_scan, 0) AS scans, pg_relation_size(c.oid) AS bytes,
                   -- the size now: relpages is as of the last VACUUM or ANALYZE, before the bloat since
                   pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,
                   -- unknown without the entries' width, which ANALYZE of rows gives (a guess read a table analyzed empty as bloated)
                   CASE WHEN live.tuples IS NULL OR w.width IS NULL OR am.amname <> 'btree' THEN NULL
                        ELSE 1 + ceil(live.tuples * (8 + 4 + w.width) / ((current_setting('block_size')::int - 24) * 0.9))
                   END AS expected_pages
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_am am ON am.oid = c.relam
              LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
              LEFT JOIN pg_stat_user_tables ts ON ts.relid = i.indrelid
              -- Its entries now: reltuples is as of the last VACUUM or ANALYZE (none, or 0, for a table analyzed empty and filled
              -- since), the live rows counted since scaled by a partial index's share of them; the larger of the two, so that
              -- statistics reset by a crash read as no bloat rather than all.
              CROSS JOIN LATERAL (SELECT nullif(greatest(c.reltuples, coalesce(ts.n_live_tup, 0)
                                                         * CASE WHEN i.indpred IS NULL THEN 1
                                                                WHEN t.reltuples > 0 THEN least(1, greatest(c.reltuples, 0) / t.reltuples)
                                                                ELSE 0 END), -1) AS tuples) live
              LEFT JOIN LATERAL (SELECT sum(st.avg_width) AS width
                                   FROM pg_attribute a
                                   JOIN pg_stats st ON st.schemaname = n.nspname AND st.tablename = t.relname AND st.attname = a.attname
                                  WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)) w ON true
             WHERE n.nspname = 'ticketing'
             ORDER BY c.relname""";

    record IndexState(String name, String table, boolean valid, boolean unique, long scans, long bytes, long pages, Long expectedPages) {

        /** The share of the index that a rebuild would give back, estimated; 0 when unknown. */
        double bloat() {
            return expectedPages == null || pages <= expectedPages ? 0 : 1 - (double) expectedPages / pages;
        }
    }

    private static List<IndexState> indexStates(Connection connection) throws SQLException {
        List<IndexState> states = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(INDEXES)) {
            while (rows.next()) {
                states.add(new IndexState(rows.getString("name"), rows.getString("table_name"), rows.getBoolean("valid"),
                        rows.getBoolean("is_unique"), rows.getLong("scans"), rows.getLong("bytes"), rows.getLong("pages"),
                        rows.getObject("expected_pages") == null ? null : rows.getBigDecimal("expected_pages").longValue()));
            }
        }
        return states;
    }

    private boolean bloated(IndexState index) {
        return index.bytes() >= settings.bloatMinBytes() && index.bloat() >= settings.bloatRatio();
    }

    private List<Finding> indexes(Connection connection) throws SQLException {
        List<IndexState> states = indexStates(connection);
        List<String> invalid = states.stream().filter(i -> !i.valid()).map(i -> i.name() + " on " + i.table()).toList();
        List<String> bloated = states.stream().filter(i -> i.valid() && bloated(i))
                .map(i -> String.format(Locale.ROOT, "%s: %s, about %.0f%% bloat", i.name(), bytes(i.bytes()), 100 * i.bloat())).toList();
        List<String> unused = states.stream().filter(i -> i.valid() && !i.unique() && i.scans() == 0)
                .map(i -> i.name() + " (" + bytes(i.bytes()) + ")").toList();
        String since = statsSince(connection);
        return List.of(
                new Finding("indexes", "invalid indexes", invalid.isEmpty() ? Severity.OK : Severity.PROBLEM, invalid.size(),
                        invalid.isEmpty() ? "none" : "left by a failed concurrent build; --reindex rebuilds them", first(invalid)),
                new Finding("indexes", "bloated indexes", bloated.isEmpty() ? Severity.OK : Severity.PROBLEM, bloated.size(),
                        String.format(Locale.ROOT, "estimated; past %.0f%% of an index of at least %s%s", 100 * settings.bloatRatio(),
                                bytes(settings.bloatMinBytes()), bloated.isEmpty() ? "" : "; --reindex rebuilds them concurrently"),
                        first(bloated)),
                new Finding("indexes", "unused indexes", unused.isEmpty() ? Severity.OK : Severity.ADVICE, unused.size(),
                        unused.isEmpty() ? "every non-unique index was scanned" : "never scanned since " + since
                        + "; keep them unless that covers a whole season of sales (some serve rare reports)", first(unused)));
    }

    private List<Finding> tables(Connection connection) throws SQLException {
        List<String> dead = new ArrayList<>();
        List<String> unvacuumed = new ArrayList<>();
        List<String> neverAnalyzed = new ArrayList<>();
        List<String> bloated = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT s.relname, s.n_live_tup, s.n_dead_tup, greatest(s.last_vacuum, s.last_autovacuum) AS vacuumed,
                            greatest(s.last_analyze, s.last_autoanalyze) AS analyzed, pg_relation_size(c.oid) AS bytes,
                            pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,
                            -- rows now: reltuples is as of the last VACUUM or ANALYZE, the live rows counted since may be more
                            CASE WHEN c.reltuples < 0 AND s.n_live_tup = 0 OR w.width IS NULL THEN NULL
                                 ELSE 1 + ceil(greatest(c.reltuples, s.n_live_tup) * (24 + 4 + w.width)
                                               / ((current_setting('block_size')::int - 24)
                                                  * coalesce((SELECT o.option_value::numeric FROM pg_options_to_table(c.reloptions) o
                                                               WHERE o.option_name = 'fillfactor'), 100) / 100)) END AS expected_pages,
                            current_setting('autovacuum')::boolean
                              AND coalesce((SELECT o.option_value::boolean FROM pg_options_to_table(c.reloptions) o
                                             WHERE o.option_name = 'autovacuum_enabled'), true) AS autovacuum
                       FROM pg_stat_user_tables s
                       JOIN pg_class c ON c.oid = s.relid
                       LEFT JOIN LATERAL (SELECT sum(st.avg_width) AS width FROM pg_stats st
                                           WHERE st.schemaname = s.schemaname AND st.tablename = s.relname) w ON true
                      WHERE s.schemaname = 'ticketing' AND s.relname <> 'flyway_schema_history'
                      ORDER BY s.relname""")) {
            while (rows.next()) {
                String table = rows.getString(1);
                long live = rows.getLong(2);
                long deadTuples = rows.getLong(3);
                if (deadTuples >= settings.deadTupleMin() && deadTuples > settings.deadTupleRatio() * Math.max(1, live)) {
                    boolean autovacuum = rows.getBoolean(9);
                    dead.add(String.format(Locale.ROOT, "%s: %d dead of %d live, last vacuum %s%s", table, deadTuples, live,
                            rows.getObject(4) == null ? "never" : rows.getObject(4, OffsetDateTime.class), autovacuum ? "" : ", autovacuum off"));
                    if (!autovacuum) {
                        unvacuumed.add(table);
                    }
                }
                if (rows.getObject(5) == null && live > 0) {
                    neverAnalyzed.add(table + " (" + live + " rows)");
                }
                long tableBytes = rows.getLong(6);
                long pages = rows.getLong(7);
                if (rows.getObject(8) != null && tableBytes >= settings.bloatMinBytes()) {
                    double bloat = 1 - rows.getBigDecimal(8).doubleValue() / Math.max(1, pages);
                    if (bloat >= settings.bloatRatio()) {
                        bloated.add(String.format(Locale.ROOT, "%s: %s, about %.0f%% free space", table, bytes(tableBytes), 100 * bloat));
                    }
                }
            }
        }
        return List.of(
                new Finding("tables", "dead tuples", dead.isEmpty() ? Severity.OK : Severity.ADVICE, dead.size(),
                        dead.isEmpty() ? "autovacuum keeps up" : deadTuplesAdvice(connection, dead.size(), unvacuumed), first(dead)),
                new Finding("tables", "tables never analyzed", neverAnalyzed.isEmpty() ? Severity.OK : Severity.ADVICE,
                        neverAnalyzed.size(), neverAnalyzed.isEmpty() ? "every table with rows has statistics"
                        : "the planner guesses without statistics; --analyze gathers them", first(neverAnalyzed)),
                new Finding("tables", "bloated tables", bloated.isEmpty() ? Severity.OK : Severity.ADVICE, bloated.size(),
                        "estimated; free space that only VACUUM FULL or pg_repack gives back to the system "
                        + "(both outside this command); VACUUM makes it reusable", first(bloated)));
    }

    /** Why tables hold dead tuples: autovacuum behind, or not running for some of them (the server's setting or the table's). */
    private String deadTuplesAdvice(Connection connection, int tables, List<String> unvacuumed) throws SQLException {
        String behind = "more than " + Math.round(100 * settings.deadTupleRatio()) + "% dead: ";
        if (unvacuumed.isEmpty()) {
            return behind + "autovacuum is behind (long transactions hold it back; see pg_stat_activity)";
        }
        String off = "on".equals(setting(connection, "autovacuum")) ? "autovacuum is off for " + String.join(", ", unvacuumed)
                + " (ALTER TABLE … RESET (autovacuum_enabled) turns it back on)"
                : "autovacuum is off on this server (autovacuum = off)";
        return behind + off + "; VACUUM " + (unvacuumed.size() == 1 ? "it" : "them") + " meanwhile"
                + (unvacuumed.size() < tables ? "; for the others autovacuum is behind (long transactions hold it back; see pg_stat_activity)" : "");
    }

    private Finding triggers(Connection connection) throws SQLException {
        String tracking = setting(connection, "track_functions");
        if ("none".equals(tracking)) {
            return new Finding("triggers", "time in triggers", Severity.ADVICE, 0,
                    "not measured: track_functions is none; turn it on with ALTER SYSTEM SET track_functions = 'pl'; "
                    + "SELECT pg_reload_conf(); (a superuser), then run maintain again after some traffic", List.of());
        }
        List<String> functions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT funcname, calls, round(total_time::numeric, 1) AS total_ms, round((total_time / greatest(calls, 1))::numeric, 3) AS mean_ms
                       FROM pg_stat_user_functions WHERE schemaname = 'ticketing' ORDER BY total_time DESC LIMIT 8""")) {
            while (rows.next()) {
                functions.add(rows.getString(1) + ": " + rows.getLong(2) + " calls, " + rows.getBigDecimal(3) + " ms in all, "
                        + rows.getBigDecimal(4) + " ms each");
            }
        }
        return new Finding("triggers", "time in triggers", Severity.OK, functions.size(),
                functions.isEmpty() ? "no trigger ran since the statistics were reset" : "the summary, audit and guard functions, most time first",
                functions);
    }

    private Finding statements(Connection connection) throws SQLException {
        boolean installed;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
            row.next();
            installed = row.getLong(1) > 0;
        }
        if (!installed) {
            return new Finding("statements", "slowest statements", Severity.ADVICE, 0,
                    "not measured: pg_stat_statements is not installed; add it to shared_preload_libraries (a restart), then "
                    + "CREATE EXTENSION pg_stat_statements", List.of());
        }
        List<String> slowest = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT round(mean_exec_time::numeric, 2), calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 120)
                       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                      ORDER BY mean_exec_time DESC LIMIT 5""")) {
            while (rows.next()) {
                slowest.add(rows.getBigDecimal(1) + " ms x " + rows.getLong(2) + ": " + rows.getString(3));
            }
        } catch (SQLException e) {
            return new Finding("statements", "slowest statements", Severity.ADVICE, 0,
                    "pg_stat_statements is installed but not readable: " + DatabaseErrors.oneLine(e), List.of());
        }
        return new Finding("statements", "slowest statements", Severity.OK, slowest.size(), "mean time per call", slowest);
    }

    // Repairs.

    /**
     * Recounts the summary of each drifting event, one event a transaction, under all 16 of its shard rows'
     * locks (what the application takes one of): bookings of that event wait a moment, other events not at all.
     */
    public List<Action> repairSummaries(Consumer<String> progress) throws SQLException {
        List<String> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT event_id FROM ticketing.event_summary_drift ORDER BY event_id")) {
            while (rows.next()) {
                events.add(rows.getString(1));
            }
        }
        List<Action> actions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (String event : events) {
                progress.accept("event " + event);
                boolean repaired = withRetries(connection, () -> {
                    try (PreparedStatement repair = connection.prepareStatement("SELECT ticketing.repair_event_summary(?::uuid)")) {
                        repair.setString(1, event);
                        try (ResultSet row = repair.executeQuery()) {
                            row.next();
                            return row.getBoolean(1);
                        }
                    }
                });
                actions.add(new Action("recount the summary of event " + event, true,
                        repaired ? "repaired" : "already right (a concurrent change or repair fixed it)"));
            }
        }
        return actions;
    }

    /** Rebuilds the invalid and bloated indexes with REINDEX INDEX CONCURRENTLY, one at a time. */
    public List<Action> reindex(Consumer<String> progress) throws SQLException {
        List<Action> actions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true); // REINDEX CONCURRENTLY runs outside a transaction block
            List<IndexState> targets = indexStates(connection).stream().filter(i -> !i.valid() || bloated(i)).toList();
            for (IndexState index : targets) {
                progress.accept(index.name());
                actions.add(reindexOne(connection, index));
            }
        }
        return actions;
    }

    private Action reindexOne(Connection connection, IndexState index) throws SQLException {
        String what = "REINDEX INDEX CONCURRENTLY " + SCHEMA + "." + index.name();
        if (!index.valid() && index.name().matches(".*_cc(new|old)\\d*$")) {
            // the leftover of an interrupted concurrent rebuild (the new copy not finished, or the old one not yet dropped):
            // rebuilt, it would be a second copy of its index
            execute(connection, "DROP INDEX CONCURRENTLY IF EXISTS " + SCHEMA + ".\"" + index.name() + "\"");
            return new Action("drop " + index.name(), true, "the invalid leftover of an interrupted rebuild");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                execute(connection, "SET lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'");
                long started = System.nanoTime();
                execute(connection, "REINDEX INDEX CONCURRENTLY " + SCHEMA + ".\"" + index.name() + "\"");
                return new Action(what, true, String.format(Locale.ROOT, "%s before, in %.1f s, attempt %d", bytes(index.bytes()),
                        (System.nanoTime() - started) / 1e9, attempt));
            } catch (SQLException e) {
                dropLeftovers(connection, index.name());
                if (!(DatabaseErrors.isLockTimeout(e) || DatabaseErrors.isTransientConflict(e)) || attempt >= settings.retries()) {
                    return new Action(what, false, DatabaseErrors.oneLine(e) + DatabaseErrors.serverDetail(e).map(d -> "; " + d).orElse("")
                            + (DatabaseErrors.isUniqueViolation(e) ? "; the rows break the index's uniqueness: remove the duplicates, "
                            + "or drop the index if it should not be unique, then run --reindex again" : ""));
                }
                pause(attempt);
            } finally {
                execute(connection, "RESET lock_timeout");
            }
        }
    }

    private static void dropLeftovers(Connection connection, String index) throws SQLException {
        List<String> leftovers = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'ticketing' AND NOT i.indisvalid AND c.relname LIKE ? || '\\_ccnew%'""")) {
            statement.setString(1, index);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    leftovers.add(rows.getString(1));
                }
            }
        }
        for (String leftover : leftovers) {
            execute(connection, "DROP INDEX CONCURRENTLY IF EXISTS " + SCHEMA + ".\"" + leftover + "\"");
        }
    }

    /** ANALYZE on each table of the schema, one at a time. */
    public List<Action> analyze(Consumer<String> progress) throws SQLException {
        List<Action> actions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            List<String> tables = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            // ANALYZE skips, with a mere warning, a table this role neither owns nor may analyze as the database's owner.
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         SELECT s.relname, pg_has_role(c.relowner, 'USAGE')
                                OR pg_has_role((SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE')
                                OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS may
                           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
                          WHERE s.schemaname = 'ticketing' AND s.relname <> 'flyway_schema_history' ORDER BY s.relname""")) {
                while (rows.next()) {
                    (rows.getBoolean(2) ? tables : refused).add(rows.getString(1));
                }
            }
            for (String table : tables) {
                progress.accept(table);
                execute(connection, "ANALYZE " + SCHEMA + ".\"" + table + "\"");
            }
            if (!tables.isEmpty()) {
                actions.add(new Action("ANALYZE the schema's " + tables.size() + " tables", true, "statistics gathered"));
            }
            if (!refused.isEmpty()) {
                actions.add(new Action("ANALYZE " + refused.size() + " tables", false, "this role may not: only their owner, the "
                        + "database's owner or a superuser may (" + String.join(", ", first(refused)) + ")"));
            }
        }
        return actions;
    }

    /** Refreshes the sales view now (waiting for a refresh running elsewhere), through the one refresh path. */
    public Action refreshSalesView() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            long started = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT ticketing.refresh_event_sales_summary(true)");
            }
            return new Action("refresh event_sales_summary", true, String.format(Locale.ROOT, "in %.0f ms", (System.nanoTime() - started) / 1e6));
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** One transaction of {@code work} with bounded lock waits, retried when it lost a race or waited too long. */
    private <T> T withRetries(Connection connection, Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                execute(connection, "SET LOCAL lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'");
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException e) {
                connection.rollback();
                if (!(DatabaseErrors.isLockTimeout(e) || DatabaseErrors.isTransientConflict(e)) || attempt >= settings.retries()) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static String statsSince(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT s.stats_reset::text, pg_postmaster_start_time()::text
                       FROM pg_stat_database s WHERE s.datname = current_database()""")) {
            row.next();
            // Never reset: they count from the server's start or from the database's creation, whichever came later, and
            // PostgreSQL records no creation time.
            return row.getString(1) != null ? "the statistics were reset (" + row.getString(1) + ")"
                    : "the server started (" + row.getString(2) + ") or this database was created, whichever came later";
        }
    }

    private static List<String> first(List<String> all) {
        return all.subList(0, Math.min(EXAMPLES, all.size()));
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds % 86_400 == 0 || seconds >= 172_800) {
            return seconds / 86_400 + " days";
        }
        if (seconds % 3_600 == 0 || seconds >= 7_200) {
            return seconds / 3_600 + " h";
        }
        return seconds / 60 + " min";
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        return bytes < 1024 * 1024 ? bytes / 1024 + " kB" : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
