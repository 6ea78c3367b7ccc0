package io.ticketing.migration.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Whether the new schema here may be served. Beside the legacy app's tables it may once an import has cut over (or
 * {@code finalize} ran); before, the legacy app is the one that sells, and an import that has not reached its first
 * cut-over (running, killed and not resumed, or run with {@code --no-catch-up}) has left rows, indexes and keys still to
 * come; nor while an import or a rollback runs. {@code serve} and {@code cancel-event} refuse to start then, a running
 * one stops writing ({@link ServingInstance}) and {@code maintain} reports a problem. The import lets every role read the two tables this needs ({@link #grantReading}): the application
 * and the operator's tools often run as other roles than the import.
 */
public record LegacyImportState(State state, String detail) {

    public enum State {
        /** No import here, or it has cut over, or {@code finalize} ran. */
        SERVABLE,
        /** The legacy app's tables are here and no import has cut over: none began to copy, or one has not reached its cut-over. */
        UNFINISHED,
        /** A legacy import or rollback is running: it writes beside the application, or drops what it writes. */
        BUSY,
        /** This role may not read the import's progress (an import by an earlier version, or the grant revoked): not servable either. */
        UNKNOWN
    }

    private static final String RUN = LegacyImporter.IMPORT_SCHEMA + ".run";
    private static final String DEFERRED = LegacyImporter.IMPORT_SCHEMA + ".deferred_index";

    public static LegacyImportState of(Connection connection) throws SQLException {
        String busy = ImportLock.fenceHolder(connection);
        if (busy != null) {
            return new LegacyImportState(State.BUSY, "a legacy import or rollback is running on this database (" + busy + "): "
                    + "the application may not write until it ends");
        }
        MigrationState migration = MigrationState.of(connection);
        if (migration.finalized()) {
            // A copy-only import may be finalized once nothing is pending: the new schema is then the one that sells.
            return new LegacyImportState(State.SERVABLE, "the legacy import was finalized");
        }
        if (!Jdbc.schemaExists(connection, LegacyImporter.IMPORT_SCHEMA)) {
            if (migration.legacyTablesPresent()) {
                return new LegacyImportState(State.UNFINISHED, "this database holds the legacy app's tables and no legacy import "
                        + "into it has begun to copy (none ran, one stopped during its migrations, or it was rolled back): the legacy "
                        + "app is the one that sells; import with `ticketing legacy import`, or serve another database");
            }
            return new LegacyImportState(State.SERVABLE, "no legacy import here");
        }
        if (!Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_schema_privilege(?, 'USAGE')", LegacyImporter.IMPORT_SCHEMA))
                || !Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_table_privilege(to_regclass(?), 'SELECT')", RUN))) {
            return new LegacyImportState(State.UNKNOWN, "cannot tell whether the legacy import here has cut over, so the legacy app "
                    + "may still be the one that sells: role " + Jdbc.single(connection, "SELECT current_user") + " may not read " + RUN
                    + " (run `legacy import` again, which lets every role read it, or GRANT USAGE ON SCHEMA "
                    + LegacyImporter.IMPORT_SCHEMA + " and SELECT ON " + RUN + " to it)");
        }
        List<Map<String, Object>> rows = Jdbc.query(connection, "SELECT to_char(started_at AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD HH24:MI:SS \"UTC\"') AS started, copied_at IS NOT NULL AS copied, "
                + "to_char(cutover_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"') AS cutover FROM " + RUN);
        Map<String, Object> run = rows.isEmpty() ? Map.of() : rows.get(0);
        if (run.get("cutover") != null) {
            return new LegacyImportState(State.SERVABLE, "the legacy import cut over at " + run.get("cutover"));
        }
        long unbuilt = Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_table_privilege(to_regclass(?), 'SELECT')", DEFERRED))
                ? Jdbc.count(connection, "SELECT count(*) FROM " + DEFERRED) : 0;
        String progress = "started at " + (run.get("started") == null ? "an unknown time" : run.get("started"))
                + (Boolean.TRUE.equals(run.get("copied"))
                ? ", copy done, catch-up and cut-over to do"
                : ", copy unfinished" + (unbuilt == 0 ? "" : ", " + unbuilt + (unbuilt == 1 ? " index or key" : " indexes and keys")
                + " not built again"));
        return new LegacyImportState(State.UNFINISHED, "a legacy import into this database has not reached its cut-over ("
                + progress + "): the new schema is incomplete and the legacy app is still the one that sells; finish it with "
                + "`ticketing legacy import`, or undo it with `ticketing legacy rollback`");
    }

    /**
     * Legacy rows the legacy app changed since the import's latest catch-up, once it has cut over and until
     * {@code finalize}: the legacy app still writing beside the new application, changes the new schema does not have.
     * Empty when no import here has cut over with the legacy tables still present, or this role may not read its
     * change log.
     */
    public static OptionalLong pendingLegacyChanges(Connection connection) throws SQLException {
        String log = LegacyImporter.IMPORT_SCHEMA + ".legacy_change";
        if (MigrationState.of(connection).finalized() || !Jdbc.exists(connection, LegacyImporter.IMPORT_SCHEMA, "legacy_change")
                || !Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_table_privilege(to_regclass(?), 'SELECT') "
                + "AND has_table_privilege(to_regclass(?), 'SELECT')", log, RUN))
                || Jdbc.single(connection, "SELECT 1 FROM " + RUN + " WHERE cutover_at IS NOT NULL") == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Jdbc.count(connection, "SELECT count(*) FROM (SELECT DISTINCT table_name, legacy_id FROM " + log + ") c"));
    }

    /**
     * Lets every role read the import's progress (when this role owns the import's schema): the times of its run and the
     * names of the indexes it has still to build, nothing of the legacy rows.
     */
    static void grantReading(Connection connection) throws SQLException {
        if (Boolean.TRUE.equals(Jdbc.single(connection, "SELECT bool_and(pg_has_role(owner, 'USAGE')) FROM (SELECT nspowner AS owner "
                + "FROM pg_namespace WHERE nspname = ? UNION ALL SELECT relowner FROM pg_class WHERE oid IN (to_regclass(?), to_regclass(?))) o",
                LegacyImporter.IMPORT_SCHEMA, RUN, DEFERRED))) {
            Jdbc.script(connection, "GRANT USAGE ON SCHEMA " + LegacyImporter.IMPORT_SCHEMA + " TO PUBLIC; GRANT SELECT ON "
                    + RUN + ", " + DEFERRED + " TO PUBLIC");
        }
    }

    /** Only when the new schema may be served: not while an import is unfinished, nor when this role cannot tell. */
    public boolean servable() {
        return state == State.SERVABLE;
    }
}
