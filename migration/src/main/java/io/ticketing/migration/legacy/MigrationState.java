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
record MigrationState(List<String> missingLegacyTables, boolean imported, boolean target) {

    static MigrationState of(Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String table : ImportStep.LEGACY_TABLES) {
            if (!Jdbc.exists(connection, "public", table)) {
                missing.add(table);
            }
        }
        return new MigrationState(List.copyOf(missing), Jdbc.schemaExists(connection, LegacyImporter.IMPORT_SCHEMA),
                Jdbc.schemaExists(connection, LegacyImporter.TARGET));
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
        if (finalized()) {
            throw new IllegalStateException("the legacy tables were dropped by `legacy finalize`: rollback is no longer possible "
                    + "without a backup");
        }
        if (!legacyTablesPresent()) {
            throw new IllegalStateException(missingTables() + "; rollback changes nothing");
        }
        if (!imported) {
            throw new IllegalStateException(target
                    ? "nothing to roll back: schema " + LegacyImporter.TARGET + " is here but no import made it (schema "
                    + LegacyImporter.IMPORT_SCHEMA + " is absent); rollback leaves it alone"
                    : "nothing to roll back: this database holds no import (none ran, or it was already rolled back)");
        }
    }

    /** The legacy tables are gone and the import's schema remains: what {@code finalize} leaves. */
    boolean finalized() {
        return noLegacyTables() && imported;
    }

    private void requireSomething(String doing) {
        if (noLegacyTables() && !imported) {
            throw new IllegalStateException("nothing to " + doing + ": this database has no legacy tables and no import "
                    + "(is --db-url the legacy database?)");
        }
    }

    private String missingTables() {
        return "legacy tables missing: " + String.join(", ", missingLegacyTables) + " (is --db-url the legacy database?)";
    }
}
