package io.ticketing.migration.legacy;

import io.ticketing.migration.schema.SchemaMigrator;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code legacy import}: moves a live legacy (Prisma) database into the optimized schema.
 *
 * <ol>
 *   <li>Creates the schema if needed (Flyway), the import schema {@value #IMPORT_SCHEMA}, and
 *       capture triggers on the legacy tables that log every change from now on.</li>
 *   <li>Copies table by table in keyset batches, each with its checkpoint (resumable).</li>
 *   <li>Catches up what the legacy app changed meanwhile, in rounds without locks, then a last
 *       round holding EXCLUSIVE locks (reads go on, writes wait) for the few remaining changes.</li>
 *   <li>Makes seat statuses agree with claims, recounts event_summary, refreshes the view.</li>
 * </ol>
 * The legacy rows are never modified. Running it again resumes, or (when finished) catches up again.
 */
public final class LegacyImporter {

    public static final String IMPORT_SCHEMA = "ticketing_import";
    static final String TARGET = SchemaMigrator.SCHEMA;
    static final List<ImportStep> COPY_STEPS = List.of(ImportStep.USER, ImportStep.EVENT, ImportStep.SEAT, ImportStep.BOOKING,
            ImportStep.PAYMENT_SESSION, ImportStep.TICKET, ImportStep.RECONCILE);
    private static final int CATCH_UP_ROUNDS = 5;

    private final DataSource dataSource;
    private final ImportOptions options;
    private final PrintStream out;

    public LegacyImporter(DataSource dataSource, ImportOptions options, PrintStream out) {
        this.dataSource = dataSource;
        this.options = options;
        this.out = out;
    }

    public ImportReport run() throws SQLException {
        LegacySchema.requireLegacyTables(dataSource);
        List<String> applied = new SchemaMigrator(dataSource).migrate();
        if (!applied.isEmpty()) {
            out.println("schema " + TARGET + ": applied migrations " + applied);
        }
        try (Connection connection = dataSource.getConnection()) {
            ImportSession session = new ImportSession(connection, TARGET, IMPORT_SCHEMA, options, out);
            session.withRetries(() -> {
                session.begin();
                prepare(connection);
                connection.commit();
                return null;
            });
            long started = System.nanoTime();
            for (ImportStep step : COPY_STEPS) {
                session.run(step);
            }
            session.inTransaction(() -> Jdbc.update(connection,
                    "UPDATE " + IMPORT_SCHEMA + ".run SET copied_at = coalesce(copied_at, now())"));
            out.printf("copied in %.1f s%n", (System.nanoTime() - started) / 1e9);
            if (options.catchUp()) {
                catchUp(session);
            }
            session.inTransaction(() -> {
                long repaired = Jdbc.count(connection, "SELECT " + TARGET + ".rebuild_event_summary()");
                Jdbc.script(connection, "REFRESH MATERIALIZED VIEW " + TARGET + ".event_sales_summary");
                out.println("event_summary recounted (" + repaired + " rows corrected), event_sales_summary refreshed");
                return null;
            });
            return session.inTransaction(() -> ImportReport.compute(connection, TARGET, IMPORT_SCHEMA));
        }
    }

    private void prepare(Connection connection) throws SQLException {
        Jdbc.script(connection, "CREATE SCHEMA IF NOT EXISTS " + IMPORT_SCHEMA);
        ImportSession.installSupport(connection, IMPORT_SCHEMA);
        Jdbc.update(connection, "INSERT INTO " + IMPORT_SCHEMA + ".run (currency) VALUES (?) ON CONFLICT (id) DO NOTHING", options.currency());
        String currency = (String) Jdbc.single(connection, "SELECT currency FROM " + IMPORT_SCHEMA + ".run");
        if (!currency.equals(options.currency())) {
            throw new IllegalStateException("this import started with currency " + currency + "; resume it with --currency " + currency);
        }
        LegacySchema.installCaptureTriggers(connection);
    }

    /** Rounds without locks while many changes are pending, then the short locked round (the cut-over). */
    private void catchUp(ImportSession session) throws SQLException {
        Connection connection = session.connection();
        for (int round = 1; round <= CATCH_UP_ROUNDS; round++) {
            long pending = session.inTransaction(() -> Jdbc.count(connection, "SELECT count(*) FROM " + IMPORT_SCHEMA + ".legacy_change"));
            if (pending <= options.batchSize()) {
                break;
            }
            long applied = session.withRetries(() -> applyChanges(session, false));
            out.println("catch-up round " + round + ": " + applied + " changed legacy rows carried over");
        }
        long lockStart = System.nanoTime();
        long applied = session.withRetries(() -> applyChanges(session, true));
        out.printf("final catch-up: %d changed legacy rows carried over; legacy writes blocked for %d ms%n",
                applied, (System.nanoTime() - lockStart) / 1_000_000);
    }

    /** Re-imports every legacy row changed since the last round (and what depends on it), in one transaction. */
    private long applyChanges(ImportSession session, boolean cutOver) throws SQLException {
        Connection connection = session.connection();
        session.begin();
        if (cutOver) {
            Jdbc.script(connection, "LOCK TABLE " + ImportStep.LEGACY_TABLES.stream().map(t -> "public." + Jdbc.quoteIdent(t))
                    .collect(Collectors.joining(", ")) + " IN EXCLUSIVE MODE");
        }
        Object maxSeq = Jdbc.single(connection, "SELECT max(seq) FROM " + IMPORT_SCHEMA + ".legacy_change");
        long changed = 0;
        if (maxSeq != null) {
            Jdbc.script(connection, CHANGE_CLOSURE.replace("{max}", maxSeq.toString()).replace("{i}", IMPORT_SCHEMA).replace("{t}", TARGET));
            changed = Jdbc.count(connection, "SELECT count(*) FROM pg_temp.changed");
            for (ImportStep step : COPY_STEPS) {
                Jdbc.script(connection, "DELETE FROM pg_temp.batch_ids");
                if (step == ImportStep.RECONCILE) {
                    Jdbc.script(connection, RECONCILE_EVENTS);
                } else {
                    Jdbc.update(connection, "INSERT INTO pg_temp.batch_ids SELECT DISTINCT legacy_id FROM pg_temp.changed WHERE table_name = ?",
                            step.legacyTable());
                }
                Jdbc.script(connection, step.sql(TARGET, IMPORT_SCHEMA, options.currency()));
            }
            Jdbc.script(connection, "DELETE FROM " + IMPORT_SCHEMA + ".legacy_change WHERE seq <= " + maxSeq);
        }
        if (cutOver) {
            Jdbc.script(connection, "UPDATE " + IMPORT_SCHEMA + ".run SET cutover_at = clock_timestamp()");
        }
        connection.commit();
        return changed;
    }

    /**
     * The changed legacy rows, plus the rows whose new-schema version depends on them (a changed
     * seat: the bookings, checkouts and tickets holding it; a changed booking: its checkouts and
     * tickets); then the dependants' new-schema rows are deleted, children first, to be re-imported.
     */
    private static final String CHANGE_CLOSURE = """
            DROP TABLE IF EXISTS pg_temp.changed;
            CREATE TEMP TABLE changed ON COMMIT DROP AS
            SELECT DISTINCT CASE WHEN table_name = '_PaymentSessionToSeat' THEN 'PaymentSession' ELSE table_name END AS table_name, legacy_id
              FROM {i}.legacy_change WHERE seq <= {max};
            INSERT INTO changed
            SELECT 'Booking', b.legacy_id FROM changed c
              JOIN {t}.seat s ON s.id = {i}.legacy_uuid('seat', c.legacy_id) AND s.legacy_id = c.legacy_id
              JOIN {t}.booked_seat bs ON bs.event_id = s.event_id AND bs.seat_id = s.id
              JOIN {t}.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
             WHERE c.table_name = 'Seat' AND b.legacy_id IS NOT NULL
            UNION SELECT 'PaymentSession', j."A" FROM changed c JOIN public."_PaymentSessionToSeat" j ON j."B" = c.legacy_id WHERE c.table_name = 'Seat'
            UNION SELECT 'Ticket', t.id FROM changed c JOIN public."Ticket" t ON t."seatId" = c.legacy_id WHERE c.table_name = 'Seat';
            INSERT INTO changed
            SELECT 'PaymentSession', p.id FROM changed c JOIN public."PaymentSession" p ON p."bookingId" = c.legacy_id WHERE c.table_name = 'Booking'
            UNION SELECT 'Ticket', t.id FROM changed c JOIN public."Ticket" t ON t."bookingId" = c.legacy_id WHERE c.table_name = 'Booking';
            DELETE FROM {t}.ticket t USING changed c
             WHERE c.table_name = 'Ticket' AND t.id = {i}.legacy_uuid('ticket', c.legacy_id) AND t.legacy_id = c.legacy_id;
            DELETE FROM {t}.ticket t USING changed c
             WHERE c.table_name = 'Booking' AND t.booking_id = {i}.legacy_uuid('booking', c.legacy_id) AND t.legacy_id IS NOT NULL;
            DELETE FROM {t}.payment_session p USING changed c
             WHERE c.table_name = 'PaymentSession' AND p.id = {i}.legacy_uuid('payment_session', c.legacy_id) AND p.legacy_id = c.legacy_id;
            UPDATE {t}.payment_session p SET booking_id = NULL FROM changed c
             WHERE c.table_name = 'Booking' AND p.booking_id = {i}.legacy_uuid('booking', c.legacy_id);
            DELETE FROM {t}.booking b USING changed c
             WHERE c.table_name = 'Booking' AND b.id = {i}.legacy_uuid('booking', c.legacy_id) AND b.legacy_id = c.legacy_id;
            """;

    /** The events whose seats may have to change status after a catch-up round. */
    private static final String RECONCILE_EVENTS = """
            INSERT INTO pg_temp.batch_ids
            SELECT "eventId" FROM public."Seat" WHERE id IN (SELECT legacy_id FROM pg_temp.changed WHERE table_name = 'Seat')
            UNION SELECT "eventId" FROM public."Booking" WHERE id IN (SELECT legacy_id FROM pg_temp.changed WHERE table_name = 'Booking')
            UNION SELECT "eventId" FROM public."PaymentSession" WHERE id IN (SELECT legacy_id FROM pg_temp.changed WHERE table_name = 'PaymentSession')
            UNION SELECT legacy_id FROM pg_temp.changed WHERE table_name = 'Event';
            """;
}
