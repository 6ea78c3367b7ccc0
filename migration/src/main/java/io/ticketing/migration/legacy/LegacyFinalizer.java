package io.ticketing.migration.legacy;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code legacy finalize}: drops the legacy tables, once {@code verify} is clean. The import
 * schema stays: its quarantine keeps the rows that were not migrated, with their payloads.
 */
public final class LegacyFinalizer {

    private final DataSource dataSource;
    private final PrintStream out;

    public LegacyFinalizer(DataSource dataSource, PrintStream out) {
        this.dataSource = dataSource;
        this.out = out;
    }

    /** Verifies; returns the verification, and drops the legacy tables only when it is clean and {@code confirmed} says so. */
    public LegacyVerifier.Result run(java.util.function.BooleanSupplier confirmed) throws SQLException {
        LegacyVerifier.Result verification = new LegacyVerifier(dataSource).run();
        if (!verification.clean()) {
            verification.print(out);
            out.println("finalize: refused, verify found differences; the legacy tables are kept");
            return verification;
        }
        if (!confirmed.getAsBoolean()) {
            out.println("finalize: not confirmed; the legacy tables are kept");
            return verification;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SET LOCAL lock_timeout = '10s'");
            LegacySchema.dropCaptureTriggers(connection);
            List<String> childrenFirst = new ArrayList<>(ImportStep.LEGACY_TABLES);
            Collections.reverse(childrenFirst);
            for (String table : childrenFirst) {
                Jdbc.script(connection, "DROP TABLE public." + Jdbc.quoteIdent(table));
            }
            Jdbc.script(connection, "DROP FUNCTION IF EXISTS " + LegacyImporter.IMPORT_SCHEMA + ".capture_legacy_change()");
            connection.commit();
        }
        out.println("finalize: legacy tables dropped (" + String.join(", ", ImportStep.LEGACY_TABLES) + "); quarantined rows remain in "
                + LegacyImporter.IMPORT_SCHEMA + ".quarantine");
        return verification;
    }
}
