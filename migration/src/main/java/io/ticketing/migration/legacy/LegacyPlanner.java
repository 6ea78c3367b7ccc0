package io.ticketing.migration.legacy;

import io.ticketing.migration.schema.SchemaMigrator;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code legacy plan}: a dry run. Rehearses the whole import (the very statements {@code import}
 * runs) into temporary tables of its own session, so that the report — counts, anomalies by kind
 * with examples, what would be quarantined — is what the import will report, while nothing in the
 * database changes. It reads the legacy tables in one REPEATABLE READ transaction: as of one moment, while the legacy
 * app writes on. The rehearsal's measured rate gives the time estimate.
 */
public final class LegacyPlanner {

    /**
     * The real import writes WAL, maintains more indexes, foreign keys, audit and summary
     * triggers: a conservative allowance (on 10k seats the import's copy took about 1.1× the
     * rehearsal; not yet measured at 1M seats).
     */
    static final double IMPORT_COST_FACTOR = 3.0;

    private final DataSource dataSource;
    private final ImportOptions options;
    private final PrintStream out;
    private final PrintStream notes;
    private StepListener afterStep = step -> { };

    public LegacyPlanner(DataSource dataSource, ImportOptions options, PrintStream out) {
        this(dataSource, options, out, out);
    }

    /** As above, with the notes of retries (a batch refused, retried row by row) on {@code notes}: the command line's stderr, as the import's. */
    public LegacyPlanner(DataSource dataSource, ImportOptions options, PrintStream out, PrintStream notes) {
        this.dataSource = dataSource;
        this.options = options;
        this.out = out;
        this.notes = notes;
    }

    /** What runs after each step of the rehearsal: for tests, legacy writes between the rehearsal's reads. */
    interface StepListener {
        void after(ImportStep step) throws SQLException;
    }

    LegacyPlanner afterEachStep(StepListener listener) {
        this.afterStep = listener;
        return this;
    }

    public record Plan(ImportReport report, Duration rehearsal, Duration estimatedImport) {
        public void print(PrintStream out) {
            report.print(out);
            out.println();
            out.printf("rehearsal took %.1f s; estimated import time: %s (batch size and --throttle-ms not included)%n",
                    rehearsal.toMillis() / 1000.0, human(estimatedImport));
            out.println("nothing was changed: the rehearsal ran in temporary tables of this session only");
        }

        private static String human(Duration d) {
            long s = Math.max(1, d.toSeconds());
            return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
        }
    }

    public Plan run() throws SQLException {
        LegacySchema.requireLegacyTables(dataSource);
        LegacySchema.requirePlanPrivileges(dataSource);
        LegacySchema.requireLegacyColumns(dataSource, "plan");
        try (Connection connection = dataSource.getConnection()) {
            SchemaMigrator.requireUtf8(connection);
            connection.setAutoCommit(false);
            // One transaction, one snapshot: the legacy app goes on writing, and every step, and the report, must see the
            // legacy tables as they were at one moment (else rows that came in between count as neither migrated nor
            // quarantined). Its writes go to temporary tables; the session's transactions are savepoints of this one.
            Jdbc.script(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE");
            Jdbc.script(connection, Jdbc.resource("/legacy/plan-shadow.sql"));
            ImportSession.installSupport(connection, "pg_temp");
            ImportSession session = new ImportSession(connection, "pg_temp", "pg_temp", options, out, notes);
            session.inOneTransaction();
            long started = System.nanoTime();
            for (ImportStep step : LegacyImporter.COPY_STEPS) {
                session.run(step);
                afterStep.after(step);
            }
            Duration rehearsal = Duration.ofNanos(System.nanoTime() - started);
            ImportReport report = session.inTransaction(() -> ImportReport.compute(connection, "pg_temp", "pg_temp"));
            connection.rollback();
            return new Plan(report, rehearsal, Duration.ofMillis((long) (rehearsal.toMillis() * IMPORT_COST_FACTOR)));
        }
    }
}
