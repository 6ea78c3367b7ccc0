package io.ticketing.migration.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a database holds of a legacy migration: the legacy tables, the import's schema
 * ({@value LegacyImporter#IMPORT_SCHEMA}, made by {@code import} and kept by {@code finalize}), the
 * new schema. {@code verify}, {@code rollback} and {@code finalize} read it first, so that each
 * refusal says what was actually found.
 */
record MigrationState(List<String> missingLegacyTables, boolean imported, boolean target, Object finalizedAt) {

    /**
     * Written by {@code finalize} in the transaction that drops the legacy tables, in the new schema
     * (which nothing but a DBA drops after it): legacy tables created again afterwards (a schema dump
     * of another database, a Prisma migrate run) do not make the import undoable again.
     */
    static final String FINALIZED = LegacyImporter.TARGET + ".legacy_finalized";

    static MigrationState of(Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String table : ImportStep.LEGACY_TABLES) {
            if (!Jdbc.exists(connection, "public", table)) {
                missing.add(table);
            }
        }
        boolean target = Jdbc.schemaExists(connection, LegacyImporter.TARGET);
        boolean finalizeRecorded = target && Jdbc.exists(connection, LegacyImporter.TARGET, "legacy_finalized");
        // Its time when this role may read it (the application's role may not): that it ran is what matters.
        Object finalizedAt = !finalizeRecorded ? null
                : Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_table_privilege(?, 'SELECT')", FINALIZED))
                ? Jdbc.single(connection, "SELECT coalesce(to_char(max(finalized_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), 'an unknown time') FROM " + FINALIZED)
                : "an unknown time";
        return new MigrationState(List.copyOf(missing), Jdbc.schemaExists(connection, LegacyImporter.IMPORT_SCHEMA), target, finalizedAt);
    }

    /** Records, in the caller's transaction (the one that drops the legacy tables), that finalize ran. */
    static void recordFinalized(Connection connection) throws SQLException {
        Jdbc.script(connection, "CREATE TABLE IF NOT EXISTS " + FINALIZED + " (finalized_at timestamptz NOT NULL DEFAULT now(), "
                + "dropped_tables text NOT NULL); COMMENT ON TABLE " + FINALIZED + " IS 'written by `legacy finalize`: the legacy "
                + "tables were dropped, the import can no longer be rolled back or redone'");
        Jdbc.update(connection, "INSERT INTO " + FINALIZED + " (dropped_tables) VALUES (?)", String.join(", ", ImportStep.LEGACY_TABLES));
    }

    /** Throws when {@code finalize} ran on this database, whatever legacy tables exist now. */
    void requireNotFinalized(String command) {
        if (finalizedAt != null) {
            throw new IllegalStateException(command + " refused: `legacy finalize` ran on this database at " + finalizedAt
                    + " (" + FINALIZED + "); schema " + LegacyImporter.TARGET + " is authoritative, and the legacy tables "
                    + (noLegacyTables() ? "are gone" : "here were created since"));
        }
    }

    boolean legacyTablesPresent() {
        return missingLegacyTables.isEmpty();
    }

    private boolean noLegacyTables() {
        return missingLegacyTables.size() == ImportStep.LEGACY_TABLES.size();
    }

    /**
     * Throws, saying what was found, unless the legacy tables and an import are both here. {@code doing}
     * completes "nothing to …" (e.g. "verify").
     */
    void requireLegacyTablesAndImport(String doing) {
        requireSomething(doing);
        if (legacyTablesPresent()) {
            requireNotFinalized(doing);
        }
        if (!legacyTablesPresent()) {
            throw new IllegalStateException(finalized()
                    ? "the legacy tables were dropped by `legacy finalize`: nothing to " + doing
                    : missingTables());
        }
        if (!imported || !target) {
            throw new IllegalStateException("nothing to " + doing + ": this database holds no import (schema "
                    + (imported ? LegacyImporter.TARGET : LegacyImporter.IMPORT_SCHEMA) + " is absent: none ran, or it was rolled back); "
                    + "run `legacy import` first");
        }
    }

    /** Throws, saying what was found, unless an import can be rolled back (its schema and every legacy table are here). */
    void requireRollbackPossible() {
        requireSomething("roll back");
        if (finalizedAt != null && !noLegacyTables()) {
            throw new IllegalStateException("rollback refused: `legacy finalize` ran on this database at " + finalizedAt + " ("
                    + FINALIZED + "); the legacy tables here were created since and hold nothing of what was imported: "
                    + "rollback is no longer possible without a backup");
        }
        if (finalized()) {
            throw new IllegalStateException("the legacy tables were dropped by `legacy finalize`: rollback is no longer possible "
                    + "without a backup");
        }
        if (!legacyTablesPresent()) {
            throw new IllegalStateException(missingTables() + "; rollback changes nothing");
        }
        if (!imported) {
            throw new IllegalStateException(target
                    ? "nothing to roll back: schema " + LegacyImporter.TARGET + " is here but nothing was imported into it (schema "
                    + LegacyImporter.IMPORT_SCHEMA + " is absent: an import stopped during its migrations, or `ticketing migrate` "
                    + "ran here); rollback leaves it alone: run `legacy import`, or drop schema " + LegacyImporter.TARGET + " by hand"
                    : "nothing to roll back: this database holds no import (none ran, or it was already rolled back)");
        }
    }

    /** What {@code finalize} leaves: its record, or (finalized before it kept one) no legacy tables beside the import's schema. */
    boolean finalized() {
        return finalizedAt != null || noLegacyTables() && imported;
    }

    private void requireSomething(String doing) {
        if (noLegacyTables() && !imported && finalizedAt == null) {
            throw new IllegalStateException("nothing to " + doing + ": this database has no legacy tables and no import "
                    + "(is --db-url the legacy database?)");
        }
    }

    private String missingTables() {
        return "legacy tables missing: " + String.join(", ", missingLegacyTables) + " (is --db-url the legacy database?)";
    }
}
