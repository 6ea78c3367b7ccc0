package io.ticketing.migration.legacy;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code legacy finalize}: drops the legacy tables, once {@code verify} is clean and the operator
 * confirmed. The import schema stays: its quarantine keeps the rows that were not migrated, with
 * their payloads.
 */
public final class LegacyFinalizer {

    /** How a finalize ended; only {@link #DROPPED} dropped anything. */
    public enum Outcome {
        DROPPED,
        /** verify found differences: nothing dropped. */
        DIFFERENCES,
        /** the operator did not confirm: nothing dropped. */
        NOT_CONFIRMED,
        /** the legacy app changed legacy rows after verify (while the operator was asked): nothing dropped. */
        CHANGED_SINCE_VERIFY
    }

    /**
     * The import schema's table of the legacy changes an operator discarded ({@code --discard-legacy-changes}): each
     * changed legacy row as the legacy app left it (null when it deleted it), kept when the legacy tables go.
     */
    static final String DISCARDED = "discarded_change";

    private final DataSource dataSource;
    private final PrintStream out;

    public LegacyFinalizer(DataSource dataSource, PrintStream out) {
        this.dataSource = dataSource;
        this.out = out;
    }

    /**
     * Verifies; drops the legacy tables only when the verification is clean, {@code confirmed} says
     * so, and no legacy row changed in between (checked under the locks of the drop).
     */
    public Outcome run(BooleanSupplier confirmed) throws SQLException {
        return run(confirmed, false);
    }

    /**
     * As {@link #run(BooleanSupplier)}; with {@code discardLegacyChanges}, the legacy changes not carried over (which a
     * repeat import refuses to carry once the new application has written) are discarded in the drop's transaction:
     * each changed legacy row is kept in {@link #DISCARDED} as the legacy app left it, the new schema's row stays as it
     * is (the application's version), and the drop happens only if verify is then clean; else nothing changes.
     */
    public Outcome run(BooleanSupplier confirmed, boolean discardLegacyChanges) throws SQLException {
        // Held until the end, the operator's answer included: no import or rollback in between.
        try (ImportLock lock = ImportLock.exclusive(dataSource, "finalize")) {
            try (Connection connection = dataSource.getConnection()) {
                MigrationState.of(connection).requireLegacyTablesAndImport("finalize");
                LegacySchema.requireWritableSession(connection, "finalize", "it drops the legacy tables");
                LegacySchema.requireOwnership(connection, "finalize");
                LegacySchema.requireLegacyColumns(connection, "finalize");
            }
            return verifyConfirmAndDrop(confirmed, discardLegacyChanges);
        }
    }

    private Outcome verifyConfirmAndDrop(BooleanSupplier confirmed, boolean discardLegacyChanges) throws SQLException {
        LegacyVerifier.Result verification = new LegacyVerifier(dataSource).run(false);
        long pending;
        long logged; // the change log's rows now: it only grows while this command holds the import lock
        try (Connection connection = dataSource.getConnection()) {
            pending = pendingChanges(connection);
            logged = Jdbc.count(connection, "SELECT count(*) FROM " + LegacyImporter.IMPORT_SCHEMA + ".legacy_change");
        }
        if (!verification.clean() && !(discardLegacyChanges && pending > 0)) {
            verification.print(out);
            out.println("finalize: refused, verify found differences; the legacy tables are kept" + (pending == 0 ? ""
                    : "; " + pending + (pending == 1 ? " legacy row" : " legacy rows") + " changed since the import's latest catch-up: "
                    + "`legacy import` carries them over while the new application has not written, else "
                    + "`legacy finalize --discard-legacy-changes` keeps the new schema's version"));
            return Outcome.DIFFERENCES;
        }
        if (!verification.clean()) {
            out.println("finalize: " + pending + (pending == 1 ? " legacy row" : " legacy rows") + " changed since the import's "
                    + "latest catch-up will be discarded (kept as the legacy app left them in " + LegacyImporter.IMPORT_SCHEMA + "."
                    + DISCARDED + "); the new schema keeps its own version; verify runs again without them before the drop");
        }
        if (!confirmed.getAsBoolean()) {
            return Outcome.NOT_CONFIRMED;
        }
        List<String> discarded = List.of();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SET LOCAL lock_timeout = '10s'");
            // All of them at once, waiting briefly and trying again, as rollback does: never one held while waiting for another.
            LegacyRollback.lockLegacyTables(connection, "finalize", out);
            List<String> childrenFirst = new ArrayList<>(ImportStep.LEGACY_TABLES);
            Collections.reverse(childrenFirst);
            if (Jdbc.count(connection, "SELECT count(*) FROM " + LegacyImporter.IMPORT_SCHEMA + ".legacy_change") != logged) {
                // A legacy change made while the operator was asked: not one verify saw, nor one they agreed to discard.
                connection.rollback();
                return Outcome.CHANGED_SINCE_VERIFY;
            }
            if (discardLegacyChanges) {
                discarded = discard(connection);
                LegacyVerifier.Result again = LegacyVerifier.runIn(connection);
                if (!again.clean()) {
                    connection.rollback();
                    again.print(out);
                    out.println("finalize: refused, verify found differences besides the discarded legacy changes; nothing discarded, "
                            + "the legacy tables are kept");
                    return Outcome.DIFFERENCES;
                }
            } else if (pendingChanges(connection) > 0) {
                connection.rollback();
                return Outcome.CHANGED_SINCE_VERIFY;
            }
            LegacySchema.dropCaptureTriggers(connection);
            for (String table : childrenFirst) {
                Jdbc.script(connection, "DROP TABLE public." + Jdbc.quoteIdent(table));
            }
            Jdbc.script(connection, "DROP FUNCTION IF EXISTS " + LegacyImporter.IMPORT_SCHEMA + ".capture_legacy_change()");
            MigrationState.recordFinalized(connection);
            connection.commit();
        }
        if (!discarded.isEmpty()) {
            out.println("finalize: discarded " + discarded.size() + (discarded.size() == 1 ? " legacy change" : " legacy changes")
                    + " (in " + LegacyImporter.IMPORT_SCHEMA + "." + DISCARDED + "): " + String.join(", ", discarded.subList(0, Math.min(20,
                    discarded.size()))) + (discarded.size() > 20 ? ", …" : ""));
        }
        out.println("finalize: legacy tables dropped (" + String.join(", ", ImportStep.LEGACY_TABLES) + "); quarantined rows remain in "
                + LegacyImporter.IMPORT_SCHEMA + ".quarantine");
        return Outcome.DROPPED;
    }

    /** Changed legacy rows not carried over (each once, however often it changed). */
    private static long pendingChanges(Connection connection) throws SQLException {
        return Jdbc.count(connection, "SELECT count(*) FROM (SELECT DISTINCT table_name, legacy_id FROM "
                + LegacyImporter.IMPORT_SCHEMA + ".legacy_change) c");
    }

    /**
     * Keeps each pending legacy change as the legacy app left the row (a checkout's seats as their list), which verify
     * then leaves out (the new schema's row stays as it is), and forgets the change. Returns them as "table:legacy id".
     */
    private static List<String> discard(Connection connection) throws SQLException {
        String table = LegacyImporter.IMPORT_SCHEMA + "." + DISCARDED;
        // Unique by digest and found by hash, as the quarantine's ids (import-support.sql): a legacy id may be as long as a
        // btree entry holds, and the table's name beside it makes it longer. Made in this transaction, which commits only
        // with the drop: no earlier finalize left one that another finalize meets.
        Jdbc.script(connection, "CREATE TABLE IF NOT EXISTS " + table + " (table_name text NOT NULL, legacy_id text NOT NULL, "
                + "last_changed_at timestamptz NOT NULL, legacy_row jsonb, discarded_at timestamptz NOT NULL DEFAULT now()); "
                + "CREATE UNIQUE INDEX IF NOT EXISTS " + DISCARDED + "_key ON " + table + " (table_name, md5(legacy_id)); "
                + "CREATE INDEX IF NOT EXISTS " + DISCARDED + "_legacy_id_hash ON " + table + " USING hash (legacy_id)");
        String changes = "SELECT table_name, legacy_id, max(changed_at) AS at FROM " + LegacyImporter.IMPORT_SCHEMA + ".legacy_change "
                + "WHERE table_name = ? GROUP BY 1, 2";
        for (LegacyVerifier.Table t : LegacyVerifier.TABLES) {
            Jdbc.update(connection, "INSERT INTO " + table + " (table_name, legacy_id, last_changed_at, legacy_row) "
                    + "SELECT c.table_name, c.legacy_id, c.at, (SELECT to_jsonb(l) FROM public." + Jdbc.quoteIdent(t.legacy())
                    + " l WHERE l.id = c.legacy_id) FROM (" + changes + ") c ON CONFLICT (table_name, md5(legacy_id)) DO UPDATE SET "
                    + "last_changed_at = excluded.last_changed_at, legacy_row = excluded.legacy_row, discarded_at = excluded.discarded_at",
                    t.legacy());
        }
        // A checkout's seats: logged under the checkout's id; kept as the list of its seats' ids.
        Jdbc.update(connection, "INSERT INTO " + table + " (table_name, legacy_id, last_changed_at, legacy_row) "
                + "SELECT c.table_name, c.legacy_id, c.at, (SELECT jsonb_agg(l.\"B\" ORDER BY l.\"B\") FROM public.\"_PaymentSessionToSeat\" l "
                + "WHERE l.\"A\" = c.legacy_id) FROM (" + changes + ") c ON CONFLICT (table_name, md5(legacy_id)) DO UPDATE SET "
                + "last_changed_at = excluded.last_changed_at, legacy_row = excluded.legacy_row, discarded_at = excluded.discarded_at",
                "_PaymentSessionToSeat");
        List<String> discarded = Jdbc.query(connection, "SELECT DISTINCT table_name || ':' || legacy_id AS id FROM "
                + LegacyImporter.IMPORT_SCHEMA + ".legacy_change ORDER BY 1").stream().map(row -> (String) row.get("id")).toList();
        Jdbc.script(connection, "DELETE FROM " + LegacyImporter.IMPORT_SCHEMA + ".legacy_change");
        return discarded;
    }
}
