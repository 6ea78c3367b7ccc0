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
        // Held until the end, the operator's answer included: no import or rollback in between.
        try (ImportLock lock = ImportLock.exclusive(dataSource, "finalize")) {
            try (Connection connection = dataSource.getConnection()) {
                MigrationState.of(connection).requireLegacyTablesAndImport("finalize");
                LegacySchema.requireOwnership(connection, "finalize");
            }
            return verifyConfirmAndDrop(confirmed);
        }
    }

    private Outcome verifyConfirmAndDrop(BooleanSupplier confirmed) throws SQLException {
        LegacyVerifier.Result verification = new LegacyVerifier(dataSource).run(false);
        if (!verification.clean()) {
            verification.print(out);
            out.println("finalize: refused, verify found differences; the legacy tables are kept");
            return Outcome.DIFFERENCES;
        }
        if (!confirmed.getAsBoolean()) {
            return Outcome.NOT_CONFIRMED;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SET LOCAL lock_timeout = '10s'");
            List<String> childrenFirst = new ArrayList<>(ImportStep.LEGACY_TABLES);
            Collections.reverse(childrenFirst);
            for (String table : childrenFirst) {
                Jdbc.script(connection, "LOCK TABLE public." + Jdbc.quoteIdent(table) + " IN ACCESS EXCLUSIVE MODE");
            }
            if (Jdbc.count(connection, "SELECT count(*) FROM " + LegacyImporter.IMPORT_SCHEMA + ".legacy_change") > 0) {
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
        out.println("finalize: legacy tables dropped (" + String.join(", ", ImportStep.LEGACY_TABLES) + "); quarantined rows remain in "
                + LegacyImporter.IMPORT_SCHEMA + ".quarantine");
        return Outcome.DROPPED;
    }
}
