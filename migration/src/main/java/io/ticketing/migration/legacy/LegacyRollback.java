package io.ticketing.migration.legacy;

import io.ticketing.database.DatabaseErrors;
import org.postgresql.util.PSQLException;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code legacy rollback}: back to the legacy state without a backup restore. The import never
 * modifies legacy rows, so rolling back is: carry back into the legacy tables what the new
 * application did after the cut-over (customers, events, seats, checkouts, bookings with their JSON
 * seats, tickets it created; every column of a migrated row it changed), then drop the capture
 * triggers, the new schema and the import schema. All in one transaction. A soft-deleted event has
 * no legacy form: it is reported, and the legacy app lists it again. What the legacy app changed after the cut-over
 * stays, column by column ({@link #changedRow}), unless the carry-back would overwrite it, sell one of its seats twice, or lose a change the new application made
 * to a row it deleted: then it refuses (see {@link #refuseConflicts}). Legacy rows the import quarantined beside a booking the new application cancelled are
 * settled too: a valid ticket or a pending checkout of it is cancelled, and a seat a quarantined live claim still holds keeps
 * its legacy status (or is booked, reserved for a confirmed booking), as does a seat the new application let go that a claim the
 * legacy app wrote after the cut-over holds; a seat the new application sold again meanwhile is refused.
 */
public final class LegacyRollback {

    private final DataSource dataSource;
    private final PrintStream out;
    private final boolean overwriteLegacyChanges;

    public LegacyRollback(DataSource dataSource, PrintStream out) {
        this(dataSource, out, false);
    }

    /**
     * {@code overwriteLegacyChanges}: carry the new application's values back over columns of legacy rows that the legacy
     * app changed too since the cut-over, differently (listing each one), instead of refusing; a seat both sold is refused
     * all the same.
     */
    public LegacyRollback(DataSource dataSource, PrintStream out, boolean overwriteLegacyChanges) {
        this.dataSource = dataSource;
        this.out = out;
        this.overwriteLegacyChanges = overwriteLegacyChanges;
    }

    /** Rows carried back per legacy table. */
    public Map<String, Long> run() throws SQLException {
        try (ImportLock lock = ImportLock.fencing(dataSource, "rollback"); Connection connection = dataSource.getConnection()) {
            MigrationState.of(connection).requireRollbackPossible();
            LegacySchema.requireWritableSession(connection, "rollback", "it writes the legacy tables back");
            ServingInstance.requireNoneRunning(dataSource, "rollback");
            LegacySchema.requireOwnership(connection, "rollback");
            // The carry-back writes every legacy column: a dropped one would fail it halfway, on a raw SQL error.
            LegacySchema.requireLegacyColumns(connection, "rollback");
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SET LOCAL lock_timeout = '10s'");
            lockNewSchema(connection);
            lockLegacyTables(connection, "rollback", out);
            Map<String, Long> carried = new LinkedHashMap<>();
            List<String> deleted = List.of();
            List<String> matched = List.of();
            List<Map<String, Object>> refunds = List.of();
            List<String> overwritten = List.of();
            List<String> ticketsCancelled = List.of();
            List<String> checkoutsCancelled = List.of();
            List<String> seatsKept = List.of();
            List<String> seatsBooked = List.of();
            List<Map<String, Object>> otherCurrency = List.of();
            if (Jdbc.exists(connection, LegacyImporter.TARGET, "booking")
                    && Jdbc.exists(connection, LegacyImporter.IMPORT_SCHEMA, "run")) {
                LegacySchema.dropCaptureTriggers(connection);
                // An import by an earlier version left its own support: the carry-back reads through this version's.
                ImportSession.installSupport(connection, LegacyImporter.IMPORT_SCHEMA);
                if (Jdbc.single(connection, "SELECT " + APPLICATION_SINCE) != null) {
                    Jdbc.script(connection, CARRIED_CUSTOMERS.replace("{t}", LegacyImporter.TARGET).replace("{i}", LegacyImporter.IMPORT_SCHEMA));
                    matched = Jdbc.query(connection, "SELECT user_id FROM pg_temp.carried_customer WHERE matched ORDER BY 1")
                            .stream().map(row -> (String) row.get("user_id")).toList();
                    String issued = ImportStep.issuedTickets(connection);
                    Jdbc.script(connection, "CREATE TEMP TABLE carried_back (table_name text, id text, seat text, changed boolean, columns text[]) "
                            + "ON COMMIT DROP");
                    Jdbc.script(connection, legacyRowsChanged().replace("{t}", LegacyImporter.TARGET).replace("{i}", LegacyImporter.IMPORT_SCHEMA)
                            .replace("{cutover}", APPLICATION_SINCE));
                    List<String> deletedByLegacy = Jdbc.query(connection, DELETED_BUT_CHANGED.replace("{t}", LegacyImporter.TARGET)
                            .replace("{i}", LegacyImporter.IMPORT_SCHEMA).replace("{cutover}", APPLICATION_SINCE))
                            .stream().map(row -> (String) row.get("row")).toList();
                    try {
                        for (var entry : CARRY_BACK.entrySet()) {
                            if (entry.getKey().equals(SEAT_CHANGED)) {
                                checkoutsCancelled = Jdbc.query(connection, CANCEL_OPEN_CHECKOUTS.replace("{i}", LegacyImporter.IMPORT_SCHEMA))
                                        .stream().map(row -> (String) row.get("id")).toList();
                                // Read once the bookings and checkouts are carried back: a claim whose booking the new
                                // application cancelled holds nothing any more.
                                Jdbc.script(connection, UNMIGRATED_CLAIMS.replace("{t}", LegacyImporter.TARGET).replace("{i}", LegacyImporter.IMPORT_SCHEMA));
                                // Before the seats are written: which of them were reserved.
                                List<Map<String, Object>> kept = Jdbc.query(connection, SEATS_KEPT.replace("{t}", LegacyImporter.TARGET)
                                        .replace("{i}", LegacyImporter.IMPORT_SCHEMA).replace("{cutover}", APPLICATION_SINCE));
                                seatsKept = kept.stream().filter(row -> !(Boolean) row.get("booked")).map(row -> (String) row.get("seat")).toList();
                                seatsBooked = kept.stream().filter(row -> (Boolean) row.get("booked")).map(row -> (String) row.get("seat")).toList();
                            }
                            String table = entry.getKey().substring(0, entry.getKey().indexOf(' '));
                            long rows = carryBack(connection, table, entry.getKey().endsWith(" changed"), entry.getValue()
                                    .replace("{t}", LegacyImporter.TARGET).replace("{i}", LegacyImporter.IMPORT_SCHEMA)
                                    .replace("{cutover}", APPLICATION_SINCE).replace("{issued}", issued).replace("{legacy_user}", LEGACY_USER_ID));
                            carried.merge(table, rows, Long::sum);
                        }
                    } catch (IllegalStateException e) {
                        // A row the new application wrote that refers to a deleted one: name the deletion rather than the key.
                        if (!(e.getCause() instanceof SQLException cause && DatabaseErrors.isForeignKeyViolation(cause))) {
                            throw e;
                        }
                        connection.rollback();
                        if (!deletedByLegacy.isEmpty()) {
                            throw refusal(List.of(), List.of(), List.of(), deletedByLegacy);
                        }
                        // The deleted row itself unchanged in the new schema, but rows the new application wrote refer to it.
                        List<String> referred = Jdbc.query(connection, DELETED_BUT_KEPT.replace("{t}", LegacyImporter.TARGET)
                                .replace("{i}", LegacyImporter.IMPORT_SCHEMA)).stream().map(row -> (String) row.get("row")).toList();
                        if (referred.isEmpty()) {
                            throw e;
                        }
                        throw new IllegalStateException("rollback refused, nothing changed: " + referred.size()
                                + (referred.size() == 1 ? " legacy row" : " legacy rows") + " deleted by the legacy app after the cut-over, "
                                + "which rows the new application wrote may refer to (the legacy tables refused one: "
                                + DatabaseErrors.serverDetail(cause).orElse(DatabaseErrors.oneLine(cause)) + "): " + examples(referred)
                                + "; re-create each deleted row in the legacy tables, with its id, or remove the rows that refer to it "
                                + "from the new schema, then run rollback again");
                    }
                    ticketsCancelled = Jdbc.query(connection, CANCEL_LIVE_TICKETS.replace("{i}", LegacyImporter.IMPORT_SCHEMA))
                            .stream().map(row -> (String) row.get("id")).toList();
                    carried.merge("Ticket", (long) ticketsCancelled.size(), Long::sum);
                    carried.merge("PaymentSession", (long) checkoutsCancelled.size(), Long::sum);
                    overwritten = refuseConflicts(connection, deletedByLegacy);
                }
                deleted = Jdbc.query(connection, "SELECT coalesce(legacy_id, id::text) AS id FROM " + LegacyImporter.TARGET
                        + ".event WHERE is_deleted ORDER BY 1").stream().map(row -> (String) row.get("id")).toList();
                // The legacy tables hold amounts without a currency: the import's --currency is the one they are read in.
                otherCurrency = Jdbc.query(connection, "SELECT coalesce(e.legacy_id, e.id::text) || ' (' || e.currency || ')' AS id, r.currency FROM "
                        + LegacyImporter.TARGET + ".event e JOIN " + LegacyImporter.IMPORT_SCHEMA + ".run r ON e.currency <> r.currency "
                        + "WHERE NOT e.is_deleted ORDER BY 1");
                if (Jdbc.exists(connection, LegacyImporter.TARGET, "refund_request")) {
                    refunds = Jdbc.query(connection, OWED_REFUNDS.replace("{t}", LegacyImporter.TARGET));
                }
            } else {
                LegacySchema.dropCaptureTriggers(connection);
            }
            Jdbc.script(connection, "DROP SCHEMA IF EXISTS " + LegacyImporter.TARGET + " CASCADE");
            Jdbc.script(connection, "DROP SCHEMA IF EXISTS " + LegacyImporter.IMPORT_SCHEMA + " CASCADE");
            connection.commit();
            carried.forEach((table, rows) -> out.printf("%-22s %8d rows carried back from the new schema%n", table, rows));
            if (!matched.isEmpty()) {
                out.println("note: " + matched.size() + (matched.size() == 1 ? " customer" : " customers") + " the new application "
                        + "created had the e-mail address of a legacy user the import had not migrated (quarantined, or added by the legacy app "
                        + "since the cut-over): carried back as "
                        + (matched.size() == 1 ? "that user, whose id its" : "those users, whose ids their") + " bookings, checkouts "
                        + "and tickets name: " + String.join(", ", matched.subList(0, Math.min(10, matched.size())))
                        + (matched.size() > 10 ? ", …" : ""));
            }
            if (!deleted.isEmpty()) {
                out.println("note: " + deleted.size() + (deleted.size() == 1 ? " event" : " events")
                        + " deleted in the new application will be listed again by the legacy app, "
                        + "whose tables have no soft delete: " + String.join(", ", deleted.subList(0, Math.min(10, deleted.size())))
                        + (deleted.size() > 10 ? ", …" : ""));
            }
            if (!ticketsCancelled.isEmpty()) {
                out.println("note: " + ticketsCancelled.size() + (ticketsCancelled.size() == 1 ? " legacy ticket" : " legacy tickets")
                        + " still valid, of bookings the new application cancelled, that the import had not migrated (quarantined with a "
                        + "seat of their booking, say) cancelled too, so that they no longer admit at the door (used ones stay used): "
                        + examples(ticketsCancelled));
            }
            if (!checkoutsCancelled.isEmpty()) {
                boolean one = checkoutsCancelled.size() == 1;
                out.println("note: " + checkoutsCancelled.size() + (one ? " legacy checkout" : " legacy checkouts") + " still pending, of "
                        + "bookings the new application cancelled, that the import had not migrated (quarantined: an open checkout of a paid "
                        + "booking, say) cancelled too, as " + (one ? "its booking is" : "their bookings are") + ", so that the legacy app does "
                        + "not take " + (one ? "it" : "them") + " for a payment still under way: " + examples(checkoutsCancelled));
            }
            if (!seatsKept.isEmpty()) {
                out.println("note: " + seatsKept.size() + (seatsKept.size() == 1 ? " seat" : " seats") + " the new application released "
                        + "(or blocked) " + (seatsKept.size() == 1 ? "keeps its" : "keep their") + " legacy status, booked or reserved: a live "
                        + "legacy booking or checkout that the new schema does not hold (quarantined by the import, or written by the legacy "
                        + "app after the cut-over) still claims " + (seatsKept.size() == 1 ? "it" : "them") + "; settle those claims in the "
                        + "legacy app: " + examples(seatsKept));
            }
            if (!seatsBooked.isEmpty()) {
                out.println("note: " + seatsBooked.size() + (seatsBooked.size() == 1 ? " seat" : " seats") + " reserved in the legacy tables "
                        + "that the new application released (or blocked) " + (seatsBooked.size() == 1 ? "is" : "are") + " now booked: a confirmed "
                        + "legacy booking that the new schema does not hold (quarantined by the import, or written by the legacy app after the "
                        + "cut-over) holds " + (seatsBooked.size() == 1 ? "it" : "them") + ": "
                        + examples(seatsBooked));
            }
            if (!otherCurrency.isEmpty()) {
                boolean one = otherCurrency.size() == 1;
                out.println("note: " + otherCurrency.size() + (one ? " event" : " events") + " of the new application " + (one ? "sells" : "sell")
                        + " in another currency than the import's (" + otherCurrency.get(0).get("currency") + "), which the legacy tables, "
                        + "without a currency column, cannot hold: " + (one ? "its" : "their") + " prices and amounts are carried back as "
                        + "bare numbers, which the legacy app, and a new import, read as " + otherCurrency.get(0).get("currency") + ": "
                        + examples(otherCurrency.stream().map(row -> (String) row.get("id")).toList()));
            }
            printOwedRefunds(refunds);
            if (!overwritten.isEmpty()) {
                out.println("note: --overwrite-legacy-changes: " + overwritten.size() + (overwritten.size() == 1 ? " legacy row" : " legacy rows")
                        + " that the legacy app changed after the cut-over, and the new application changed too, now "
                        + (overwritten.size() == 1 ? "holds" : "hold") + " the new application's values in the columns both changed (the "
                        + "legacy app's changes to other columns are kept); the legacy app's changes overwritten:");
                overwritten.forEach(row -> out.println("note: legacy change overwritten: " + row));
            }
            out.println("rollback: schemas " + LegacyImporter.TARGET + " and " + LegacyImporter.IMPORT_SCHEMA
                    + " dropped; the legacy tables are authoritative again");
            return carried;
        }
    }

    /**
     * Every table of the new schema, in one statement, before anything is carried back: a transaction of the application
     * still under way (a request that began before its instance stopped) then makes the rollback wait, and give up after
     * lock_timeout with nothing changed, rather than meet it half-way in a deadlock.
     */
    private static void lockNewSchema(Connection connection) throws SQLException {
        String tables = (String) Jdbc.single(connection, "SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY c.relname) "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p')",
                LegacyImporter.TARGET);
        if (tables == null) {
            return;
        }
        try {
            Jdbc.script(connection, "LOCK TABLE " + tables + " IN ACCESS EXCLUSIVE MODE");
        } catch (SQLException e) {
            if (!DatabaseErrors.isLockTimeout(e) && !DatabaseErrors.isDeadlock(e)) {
                throw e;
            }
            throw new IllegalStateException("rollback refused, nothing changed: the new schema's tables are still in use ("
                    + e.getMessage().lines().findFirst().orElse("") + "), by a transaction of the application that began before it "
                    + "stopped, or another session: run it again once that ends", e);
        }
    }

    /**
     * Every legacy table, in one statement and in the cut-over's order, before a trigger is dropped or a row carried back:
     * taken table by table, a legacy transaction that wrote one table and then wanted another that the rollback already
     * held met it in a deadlock, and PostgreSQL aborted the legacy transaction. Each attempt waits briefly
     * ({@link ImportSession#briefLockWait}), so that it is the rollback that gives up, never the legacy transaction; it
     * lets the legacy app go on for a moment and tries again, for some 20 s, then refuses with nothing changed ({@code command}
     * names the refusal: finalize locks them so too, before it drops them). While it waits, it says for whom on
     * {@code notes}, at the first attempt and every tenth.
     */
    static void lockLegacyTables(Connection connection, String command, PrintStream notes) throws SQLException {
        List<String> tables = new ArrayList<>();
        for (String table : ImportStep.LEGACY_TABLES) {
            if (Jdbc.exists(connection, "public", table)) {
                tables.add("public." + Jdbc.quoteIdent(table));
            }
        }
        if (tables.isEmpty()) {
            return;
        }
        Duration wait = ImportSession.briefLockWait(connection);
        for (int attempt = 1; ; attempt++) {
            Jdbc.script(connection, "SAVEPOINT legacy_locks");
            try {
                ImportSession.withStatementTimeout(connection, wait, "LOCK TABLE " + String.join(", ", tables) + " IN ACCESS EXCLUSIVE MODE");
                Jdbc.script(connection, "RELEASE SAVEPOINT legacy_locks");
                return;
            } catch (SQLException e) {
                if (!DatabaseErrors.isCancelled(e) && !DatabaseErrors.isLockTimeout(e) && !DatabaseErrors.isDeadlock(e)) {
                    throw e;
                }
                // Back to before the attempt: the locks it took are released (and its statement_timeout), and the legacy app goes on.
                Jdbc.script(connection, "ROLLBACK TO SAVEPOINT legacy_locks");
                if (attempt == LEGACY_LOCK_ATTEMPTS) {
                    // No SQLSTATE: the timeout is this command's own brief wait, and its advice (raise statement_timeout) is not the way out.
                    throw new SQLException(command + " refused, nothing changed: the legacy app's transactions kept the legacy "
                            + "tables busy through " + attempt + " brief attempts to lock them (last " + holders(connection) + "); run it "
                            + "again when the legacy app writes less, or pause its writes", null, e);
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    notes.println("waiting for the legacy tables' locks: " + holders(connection) + " (attempt " + attempt + " of "
                            + LEGACY_LOCK_ATTEMPTS + ")");
                }
            }
            try {
                Thread.sleep(LEGACY_LOCK_PAUSE.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(command + " interrupted, nothing changed", interrupted);
            }
        }
    }

    /** Who held the legacy tables at the last attempt, or that they were busy when that cannot be read. */
    private static String holders(Connection connection) {
        try {
            return ImportSession.holders(connection, ImportStep.LEGACY_TABLES);
        } catch (SQLException e) {
            return "the tables were busy";
        }
    }

    private static final int LEGACY_LOCK_ATTEMPTS = 60;
    private static final Duration LEGACY_LOCK_PAUSE = Duration.ofMillis(100);

    /**
     * Where the new application's writes begin: the end of the import's latest writes (a repeat import runs only
     * while the application has written nothing, so everything changed later is the application's). Not the first
     * cut-over: a repeat import's catch-up writes legacy rows changed after it, with their legacy updatedAt, and
     * the legacy app may change them again; carrying those back would overwrite its newer rows. Imports of earlier
     * versions recorded no caught_up_at: then the cut-over, or the copy. Not covered: an application transaction
     * that began before a repeat import's catch-up and committed after its check (its rows carry its start time):
     * the new application must not write while a repeat import runs (docs/operator-guide.md, section 2). A
     * per-row test (the new row newer than the legacy one) would close that window but not another: the seats a
     * catch-up reconciles carry the import's own time.
     */
    static final String APPLICATION_SINCE = "(SELECT coalesce((to_jsonb(r) ->> 'caught_up_at')::timestamptz, r.cutover_at, "
            + "r.copied_at, r.started_at) FROM " + LegacyImporter.IMPORT_SCHEMA + ".run r)";

    /**
     * The refunds the new application requested and no payment provider confirmed: the legacy tables
     * have no place for them (the booking is carried back {@code cancelled}, like one that was never
     * paid), and the refund outbox goes with the new schema. Printed one per line, so that the
     * output of the rollback is the record of the money still owed.
     */
    private static final String OWED_REFUNDS = """
            SELECT coalesce(b.legacy_id, b.id::text) AS booking, r.amount, r.currency, r.status, r.reason,
                   to_char(r.requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS requested,
                   coalesce(p.provider_ref, '') AS provider_ref
              FROM {t}.refund_request r
              JOIN {t}.booking b ON b.event_id = r.event_id AND b.id = r.booking_id
              LEFT JOIN {t}.payment_session p ON p.event_id = r.event_id AND p.id = r.payment_session_id
             WHERE r.status <> 'REFUNDED'
             ORDER BY r.requested_at, booking""";

    private void printOwedRefunds(List<Map<String, Object>> refunds) {
        if (refunds.isEmpty()) {
            return;
        }
        Map<String, java.math.BigDecimal> totals = new java.util.TreeMap<>();
        for (Map<String, Object> refund : refunds) {
            totals.merge((String) refund.get("currency"), (java.math.BigDecimal) refund.get("amount"), java.math.BigDecimal::add);
        }
        out.println("note: " + refunds.size() + (refunds.size() == 1 ? " refund" : " refunds") + " requested in the new application "
                + "and not completed, " + totals.entrySet().stream().map(t -> t.getValue().toPlainString() + " " + t.getKey())
                .collect(java.util.stream.Collectors.joining(" + ")) + " in all, " + (refunds.size() == 1 ? "is" : "are") + " still owed: the legacy tables have no record "
                + "of them (their bookings are cancelled there); refund them through the payment provider or the legacy app:");
        for (Map<String, Object> refund : refunds) {
            out.println("note: refund owed: booking " + refund.get("booking") + ", " + ((java.math.BigDecimal) refund.get("amount")).toPlainString()
                    + " " + refund.get("currency") + ", " + refund.get("status") + " since " + refund.get("requested")
                    + (((String) refund.get("provider_ref")).isEmpty() ? "" : ", payment " + refund.get("provider_ref"))
                    + " (" + refund.get("reason") + ")");
        }
    }

    /**
     * One carry-back statement; the legacy ids it wrote go to {@code pg_temp.carried_back} ({@code changed}: an update of
     * a legacy row; {@code seat}: a seat link's seat, beside its checkout's id), which {@link #refuseConflicts} reads.
     * A legacy table may have gained a NOT NULL column without a default that the new schema knows nothing of: no value
     * can be carried back for it, and the rollback, one transaction, changes nothing.
     */
    private static long carryBack(Connection connection, String table, boolean changed, String sql) throws SQLException {
        try {
            String columns = table.equals(SEAT_LINK) ? "id, seat" : changed ? "id, columns" : "id";
            return Jdbc.update(connection, "WITH carried (" + columns + ") AS (" + sql + ") INSERT INTO pg_temp.carried_back (table_name, "
                    + columns + ", changed) SELECT ?, " + columns + ", ? FROM carried", table, changed);
        } catch (SQLException e) {
            if (DatabaseErrors.isDataRefused(e) && !DatabaseErrors.isNotNullViolation(e)) {
                // A key or check of the legacy table that the new schema does not know: name the rows, change nothing.
                throw new IllegalStateException("rollback changed nothing: the legacy table public." + Jdbc.quoteIdent(table)
                        + " refused a row the new application wrote (" + e.getMessage().lines().findFirst().orElse("")
                        + DatabaseErrors.serverDetail(e).map(d -> "; " + d).orElse("") + "); change that row in the new schema "
                        + "(or the legacy one) so that both agree, and run rollback again", e);
            }
            if (!DatabaseErrors.isNotNullViolation(e)) {
                throw e;
            }
            String column = e instanceof PSQLException p && p.getServerErrorMessage() != null ? p.getServerErrorMessage().getColumn() : null;
            throw new IllegalStateException("rollback changed nothing: the legacy table public." + Jdbc.quoteIdent(table) + " has a NOT NULL column "
                    + (column == null ? "" : Jdbc.quoteIdent(column) + " ") + "without a default, unknown to the new schema, so rows the new "
                    + "application created cannot be carried back; give it a default (ALTER TABLE public." + Jdbc.quoteIdent(table)
                    + " ALTER COLUMN … SET DEFAULT …) and run rollback again", e);
        }
    }

    /**
     * What the legacy app wrote after the cut-over, and no catch-up carried over, that the carry-back would silently undo,
     * found once it is written (the transaction is then rolled back: nothing changed): (a) legacy rows the legacy app changed
     * and the carry-back writes the new application's version over; (b) seats that a live booking or checkout the legacy
     * app wrote or changed claims while one that the carry-back wrote claims them too, or that a live claim the import
     * quarantined holds while one the carry-back created claims them too: sold twice; (c) {@code deletedByLegacy}, legacy
     * rows the legacy app deleted that the new application changed ({@link #DELETED_BUT_CHANGED}). (b) is always
     * refused, since only the operator can say who keeps the seat, and so is (c), whose row may have taken others with it;
     * (a) unless {@code --overwrite-legacy-changes}, and then returned as {@code Table:legacy id (columns)}, to be listed.
     */
    private List<String> refuseConflicts(Connection connection, List<String> deletedByLegacy) throws SQLException {
        List<String> bothChanged = Jdbc.query(connection, BOTH_CHANGED.replace("{i}", LegacyImporter.IMPORT_SCHEMA))
                .stream().map(row -> (String) row.get("row")).toList();
        List<Map<String, Object>> claimedTwice = Jdbc.query(connection, SOLD_TWICE.replace("{i}", LegacyImporter.IMPORT_SCHEMA));
        if (claimedTwice.isEmpty() && deletedByLegacy.isEmpty() && (bothChanged.isEmpty() || overwriteLegacyChanges)) {
            return bothChanged;
        }
        connection.rollback();
        throw refusal(seatsClaimedBy(claimedTwice, "legacy"), seatsClaimedBy(claimedTwice, "quarantined"), bothChanged, deletedByLegacy);
    }

    /** The one line that names what {@link #refuseConflicts} found, and what to do about it. */
    private IllegalStateException refusal(List<String> soldTwice, List<String> soldAgain, List<String> bothChanged,
                                          List<String> deletedByLegacy) {
        List<String> found = new ArrayList<>();
        if (!soldTwice.isEmpty()) {
            found.add(soldTwice.size() + (soldTwice.size() == 1 ? " seat" : " seats") + " would be sold twice, claimed by a booking, "
                    + "checkout or valid ticket the legacy app wrote after the cut-over and by one of the new application's: " + examples(soldTwice));
        }
        if (!soldAgain.isEmpty()) {
            found.add(soldAgain.size() + (soldAgain.size() == 1 ? " seat" : " seats") + " would be sold twice, claimed by a live booking or "
                    + "checkout that the import quarantined, not migrated, and by one the new application created: " + examples(soldAgain));
        }
        if (!bothChanged.isEmpty()) {
            found.add(bothChanged.size() + (bothChanged.size() == 1 ? " legacy row" : " legacy rows") + " changed after the cut-over both "
                    + "by the legacy app (not carried over) and by the new application, in the same columns and differently, where the new "
                    + "application's values would overwrite the legacy app's: " + examples(bothChanged));
        }
        if (!deletedByLegacy.isEmpty()) {
            found.add(deletedByLegacy.size() + (deletedByLegacy.size() == 1 ? " legacy row" : " legacy rows") + " deleted by the legacy app "
                    + "after the cut-over, which the new application changed (its changes would be lost): " + examples(deletedByLegacy));
        }
        List<String> todo = new ArrayList<>();
        if (!soldTwice.isEmpty() || !soldAgain.isEmpty()) {
            todo.add("settle each seat sold twice by cancelling one of its two claims (a booking, a checkout, or a valid ticket the "
                    + "legacy app wrote), in the legacy app or in the new application"
                    + (overwriteLegacyChanges ? " (--overwrite-legacy-changes does not decide who keeps a seat)" : ""));
        }
        if (!bothChanged.isEmpty() && !overwriteLegacyChanges) {
            todo.add("make the new application's values of those columns agree with the legacy app's, or run `legacy rollback "
                    + "--overwrite-legacy-changes` to carry the new application's values back over them (it lists each one)");
        }
        if (!deletedByLegacy.isEmpty()) {
            // Not re-inserted by the option: the row's children and parents in the legacy tables may be gone with it.
            todo.add("re-create each deleted row in the legacy tables, with its id, for the new application's version to be carried "
                    + "back over it (a row both changed, then), or remove it from the new schema too"
                    + (overwriteLegacyChanges ? " (--overwrite-legacy-changes does not bring a deleted row back)" : ""));
        }
        return new IllegalStateException("rollback refused, nothing changed: " + String.join("; ", found) + "; "
                + String.join(", and ", todo) + ", then run rollback again");
    }

    private static List<String> seatsClaimedBy(List<Map<String, Object>> claimedTwice, String side) {
        return claimedTwice.stream().filter(row -> row.get("side").equals(side)).map(row -> (String) row.get("seat")).toList();
    }

    private static String examples(List<String> all) {
        return String.join(", ", all.subList(0, Math.min(10, all.size()))) + (all.size() > 10 ? ", …" : "");
    }

    /**
     * (c): legacy rows the legacy app deleted after the cut-over (the change log holds them, the table no longer does) that
     * the new application changed: the carry-back's update finds nothing to write, and the change would be lost. Read
     * before the carry-back, whose writes may refer to them (a ticket it sold for a deleted seat).
     */
    private static final String DELETED_BUT_CHANGED = deletedByLegacy("n.updated_at > {cutover}");

    /**
     * Legacy rows the legacy app deleted after the cut-over that the new schema still holds, changed or not: read when a
     * row the carry-back writes refers to one that is gone (a checkout of a customer the legacy app deleted).
     */
    private static final String DELETED_BUT_KEPT = deletedByLegacy("true");

    /** Legacy rows the change log holds that the legacy table no longer does, whose row in the new schema is {@code where}. */
    private static String deletedByLegacy(String where) {
        return Stream.of("User customer", "Event event", "Seat seat", "Booking booking", "PaymentSession payment_session", "Ticket ticket")
                .map(tables -> tables.split(" ")).map(tables -> """
                        SELECT '%1$s:' || n.legacy_id AS row FROM {t}.%2$s n
                          JOIN (SELECT DISTINCT legacy_id FROM {i}.legacy_change WHERE table_name = '%1$s') c ON c.legacy_id = n.legacy_id
                         WHERE %3$s AND NOT EXISTS (SELECT 1 FROM public."%1$s" l WHERE l.id = n.legacy_id)"""
                        .formatted(tables[0], tables[1], where))
                .collect(Collectors.joining("\nUNION ALL\n", "", "\nORDER BY 1"));
    }

    /** (a): legacy rows whose same columns both applications changed, differently ({@link #changedRow}), with those columns. */
    private static final String BOTH_CHANGED = """
            SELECT DISTINCT table_name || ':' || id || ' (' || array_to_string(columns, ', ') || ')' AS row, table_name, id
              FROM pg_temp.carried_back WHERE cardinality(columns) > 0 ORDER BY table_name, id""";

    /**
     * The columns a legacy table's carry-back of changed rows writes, each as it is compared ({c}: the column of a row of
     * the table): a status by what it means (the legacy app has several words for one status), an address as the import
     * reads it.
     */
    private static final Map<String, Map<String, String>> MERGED_COLUMNS = Map.of(
            "User", Map.of("email", "{i}.normal_email({c})", "name", "{c}"),
            "Event", Map.of("title", "{c}", "description", "{c}", "venue", "{c}", "\"startDate\"", "{c}", "\"endDate\"", "{c}",
                    "status", "{i}.map_status('event', {c})"),
            "Seat", Map.of("section", "{c}", "\"row\"", "{c}", "number", "{c}", "price", "{c}", "status", "{i}.map_status('seat', {c})"),
            "Booking", Map.of("status", "{i}.map_status('booking', {c})", "\"totalAmount\"", "{c}"),
            "PaymentSession", Map.of("status", "{i}.map_status('payment_session', {c})", "amount", "{c}", "\"providerRef\"", "{c}",
                    "\"expiresAt\"", "{c}", "\"bookingId\"", "{c}"),
            "Ticket", Map.of("status", "{i}.map_status('ticket', {c})", "code", "{c}"));

    /**
     * The seats whose status the new application changed after the cut-over: it blocked or unblocked them (the audit trail
     * has it), or a checkout or booking of it claimed them or let them go. Not read from the seat itself: the import may
     * have written a status other than the legacy one (a seat `available` that a confirmed booking claims is BOOKED), which
     * the new application then did not change. Read only when the legacy app changed seats too.
     */
    private static final String SEAT_STATUS_CHANGED = """
            CREATE TEMP TABLE seat_status_changed ON COMMIT DROP AS
            SELECT a.entity_id AS seat_id FROM {t}.audit_log a
             WHERE a.entity_type = 'seat' AND a.action = 'UPDATE' AND a.new_values ? 'status' AND a.occurred_at > {cutover}
               AND EXISTS (SELECT 1 FROM pg_temp.legacy_changed WHERE table_name = 'Seat')
            UNION
            SELECT c.seat_id FROM {t}.payment_session_seat c WHERE (c.created_at > {cutover} OR c.released_at > {cutover})
               AND EXISTS (SELECT 1 FROM pg_temp.legacy_changed WHERE table_name = 'Seat')
            UNION
            SELECT c.seat_id FROM {t}.booked_seat c WHERE (c.created_at > {cutover} OR c.released_at > {cutover})
               AND EXISTS (SELECT 1 FROM pg_temp.legacy_changed WHERE table_name = 'Seat');
            CREATE UNIQUE INDEX ON pg_temp.seat_status_changed (seat_id);
            ANALYZE pg_temp.seat_status_changed;
            """;

    /**
     * The legacy rows the legacy app changed after the cut-over (the change log holds what no catch-up carried over), each
     * with its state at the cut-over ({@code before}, from the change log's first entry of it; null in a log an earlier
     * version wrote, or for a row the legacy app inserted since) and now, before anything is carried back.
     */
    private static String legacyRowsChanged() {
        return "CREATE TEMP TABLE legacy_changed ON COMMIT DROP AS SELECT DISTINCT ON (table_name, legacy_id) table_name, legacy_id AS id, "
                + "before, NULL::jsonb AS now FROM {i}.legacy_change WHERE table_name IN ("
                + MERGED_COLUMNS.keySet().stream().sorted().map(table -> "'" + table + "'").collect(Collectors.joining(", "))
                + ") ORDER BY table_name, legacy_id, seq;\n"
                + MERGED_COLUMNS.keySet().stream().sorted().map(table -> "UPDATE pg_temp.legacy_changed c SET now = to_jsonb(l) FROM public."
                        + Jdbc.quoteIdent(table) + " l WHERE c.table_name = '" + table + "' AND l.id = c.id;\n").collect(Collectors.joining())
                + "CREATE UNIQUE INDEX ON pg_temp.legacy_changed (table_name, id);\nANALYZE pg_temp.legacy_changed;\n"
                + SEAT_STATUS_CHANGED;
    }

    /**
     * (b): each seat with a live claim by a legacy row the change log holds and another by a row the carry-back wrote, of
     * another booking (a checkout and its own booking are one claimant, and so are a ticket and its booking). Live as the
     * import reads the legacy rows: a booking pending or confirmed, a checkout open or processing, a ticket valid (the
     * legacy app may issue one for a seat no booking of its own lists, and it admits at the door all the same). Seats two
     * legacy bookings claimed before the cut-over are the legacy tables' own and stay as they were, and so are those a
     * quarantined claim and a migrated booking or checkout claimed: only a claim the new application created (not one of
     * a row it changed) sells one of those again. {@code side}: legacy, or quarantined ({@code pg_temp.unmigrated_claim}).
     */
    private static final String SOLD_TWICE = """
            WITH side AS (SELECT 'legacy' AS side, table_name, legacy_id AS id, NULL AS seat, false AS created FROM {i}.legacy_change
                          UNION SELECT 'application', table_name, id, seat, NOT changed FROM pg_temp.carried_back),
                 claim AS (
                   SELECT x.side, x.created, 'Booking:' || b.id AS claimant, 'Booking:' || b.id AS owner, seat.id AS seat
                     FROM side x JOIN public."Booking" b ON b.id = x.id
                     CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(b.seats) = 'array' THEN b.seats ELSE '[]' END) seat(id)
                    WHERE x.table_name = 'Booking' AND {i}.map_status('booking', b.status) IN ('PENDING', 'CONFIRMED')
                   UNION
                   SELECT x.side, x.created, o.claimant, o.claimant, ps."B"
                     FROM side x JOIN public."PaymentSession" p ON p.id = x.id
                     CROSS JOIN LATERAL (SELECT CASE WHEN p."bookingId" IS NULL THEN 'PaymentSession:' || p.id ELSE 'Booking:' || p."bookingId" END) o(claimant)
                     JOIN public."_PaymentSessionToSeat" ps ON ps."A" = p.id
                    WHERE x.table_name IN ('PaymentSession', '_PaymentSessionToSeat') AND (x.seat IS NULL OR ps."B" = x.seat)
                      AND {i}.checkout_status(p.status, (SELECT lb.status FROM public."Booking" lb WHERE lb.id = p."bookingId"),
                                              p."expiresAt", now()) IN ('OPEN', 'PROCESSING')
                   UNION
                   SELECT x.side, x.created, 'Ticket:' || t.id, 'Booking:' || t."bookingId", t."seatId"
                     FROM side x JOIN public."Ticket" t ON t.id = x.id
                    WHERE x.side = 'legacy' AND x.table_name = 'Ticket' AND {i}.map_status('ticket', t.status) = 'VALID'
                   UNION ALL
                   SELECT 'quarantined', false, q.claimant, q.claimant, q.seat FROM pg_temp.unmigrated_claim q WHERE q.quarantined)
            SELECT DISTINCT ON (s.seat_id, s.side) s.side, s.seat FROM (
                SELECT l.side, l.seat AS seat_id, 0 AS named_by_tickets, 'Seat:' || l.seat || ' (' || min(l.claimant) || CASE l.side WHEN 'legacy'
                       THEN ' of the legacy app, ' ELSE ' quarantined by the import, ' END || min(a.claimant) || ' of the new application)' AS seat
                  FROM claim l JOIN claim a ON a.seat = l.seat AND a.side = 'application' AND a.owner <> l.owner
                                           AND (l.side = 'legacy' OR a.created)
                 WHERE l.side IN ('legacy', 'quarantined')
                 GROUP BY l.side, l.seat
                UNION ALL
                -- Two valid tickets for one seat, one each application's, even of the same booking (both confirmed it).
                SELECT 'legacy', l."seatId", 1, 'Seat:' || l."seatId" || ' (Ticket:' || min(l.id) || ' of the legacy app, Ticket:'
                       || min(a.id) || ' of the new application)'
                  FROM {i}.legacy_change lc JOIN public."Ticket" l ON l.id = lc.legacy_id
                  JOIN public."Ticket" a ON a."seatId" = l."seatId" AND a.id <> l.id
                  JOIN pg_temp.carried_back cb ON cb.table_name = 'Ticket' AND cb.id = a.id
                 WHERE lc.table_name = 'Ticket' AND {i}.map_status('ticket', l.status) = 'VALID'
                   AND {i}.map_status('ticket', a.status) = 'VALID'
                 GROUP BY l."seatId") s
             ORDER BY s.seat_id, s.side, s.named_by_tickets""";

    /**
     * The live legacy claims the new schema does not hold, and the seats they hold: a booking quarantined whole or one of its
     * booking-seat pairs (pending or confirmed), a checkout quarantined whole or one of its seat links (open or processing),
     * unless that checkout's booking was migrated (the carry-back writes that booking, and its checkout follows it); and a
     * booking or checkout the legacy app wrote after the cut-over that no catch-up carried over ({@code quarantined} false).
     * Live as the legacy rows stand once the bookings and checkouts are carried back: a claim of a booking the new
     * application cancelled holds nothing. Read once, not per seat: the carry-back of an event's cancellation may change
     * 100k seats. {@code held_seat}: one row per seat; the claimant the notes name is a confirmed booking if one holds the
     * seat (it is why the seat stays booked).
     */
    private static final String UNMIGRATED_CLAIMS = """
            CREATE TEMP TABLE unmigrated_claim ON COMMIT DROP AS
            SELECT c.seat, c.claimant, c.confirmed, c.quarantined FROM (
                SELECT seat.id AS seat, 'Booking:' || b.id AS claimant, {i}.map_status('booking', b.status) = 'CONFIRMED' AS confirmed,
                       true AS quarantined
                  FROM {i}.quarantine q JOIN public."Booking" b ON b.id = q.legacy_id
                 CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(b.seats) = 'array' THEN b.seats ELSE '[]' END) seat(id)
                 WHERE q.table_name = 'Booking' AND {i}.map_status('booking', b.status) IN ('PENDING', 'CONFIRMED')
                UNION ALL
                SELECT q.payload ->> 'seatId', 'Booking:' || b.id, {i}.map_status('booking', b.status) = 'CONFIRMED', true
                  FROM {i}.quarantine q JOIN public."Booking" b ON b.id = q.batch_key
                 WHERE q.table_name = 'Booking.seats' AND {i}.map_status('booking', b.status) IN ('PENDING', 'CONFIRMED')
                UNION ALL
                SELECT x.seat, CASE WHEN p."bookingId" IS NULL THEN 'PaymentSession:' || p.id ELSE 'Booking:' || p."bookingId" END, false, true
                  FROM (SELECT ps."B" AS seat, ps."A" AS session FROM {i}.quarantine q JOIN public."_PaymentSessionToSeat" ps ON ps."A" = q.legacy_id
                         WHERE q.table_name = 'PaymentSession'
                        UNION ALL
                        SELECT q.payload ->> 'B', q.batch_key FROM {i}.quarantine q WHERE q.table_name = '_PaymentSessionToSeat') x
                  JOIN public."PaymentSession" p ON p.id = x.session
                 WHERE {i}.checkout_status(p.status, (SELECT lb.status FROM public."Booking" lb WHERE lb.id = p."bookingId"),
                                           p."expiresAt", now()) IN ('OPEN', 'PROCESSING')
                   AND NOT EXISTS (SELECT 1 FROM {t}.booking nb WHERE nb.legacy_id = p."bookingId")
                UNION ALL
                SELECT seat.id, 'Booking:' || b.id, {i}.map_status('booking', b.status) = 'CONFIRMED', false
                  FROM (SELECT DISTINCT legacy_id FROM {i}.legacy_change WHERE table_name = 'Booking') x
                  JOIN public."Booking" b ON b.id = x.legacy_id
                 CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(b.seats) = 'array' THEN b.seats ELSE '[]' END) seat(id)
                 WHERE {i}.map_status('booking', b.status) IN ('PENDING', 'CONFIRMED')
                UNION ALL
                SELECT ps."B", CASE WHEN p."bookingId" IS NULL THEN 'PaymentSession:' || p.id ELSE 'Booking:' || p."bookingId" END, false, false
                  FROM (SELECT DISTINCT legacy_id FROM {i}.legacy_change WHERE table_name IN ('PaymentSession', '_PaymentSessionToSeat')) x
                  JOIN public."PaymentSession" p ON p.id = x.legacy_id
                  JOIN public."_PaymentSessionToSeat" ps ON ps."A" = p.id
                 WHERE {i}.checkout_status(p.status, (SELECT lb.status FROM public."Booking" lb WHERE lb.id = p."bookingId"),
                                           p."expiresAt", now()) IN ('OPEN', 'PROCESSING')) c
             WHERE c.seat IS NOT NULL;
            CREATE TEMP TABLE held_seat ON COMMIT DROP AS
            SELECT seat, (array_agg(claimant ORDER BY confirmed DESC, claimant))[1] AS claimant, bool_or(confirmed) AS confirmed
              FROM pg_temp.unmigrated_claim GROUP BY seat;
            -- by hash: a legacy seat id may be longer than a btree entry holds (the import quarantines those)
            CREATE INDEX ON held_seat USING hash (seat);
            ANALYZE held_seat;
            """;

    /**
     * Seat changed: a legacy seat booked or reserved that the new application made available or blocked keeps its legacy
     * status while a claim the new schema does not hold still holds it ({@link #UNMIGRATED_CLAIMS}: quarantined, or written by
     * the legacy app after the cut-over; written available, the legacy app would sell it again), or is booked
     * ({@link #KEPT_STATUS}). Its other columns are carried back. Such a seat is no change of the legacy row, and no conflict
     * with the legacy app's own later sale of it, when its other columns agree: the new application held it and let it go.
     */
    private static final String SEAT_KEPT = """
            (q.seat IS NOT NULL AND {i}.map_status('seat', l.status) IN ('BOOKED', 'RESERVED') AND s.status::text NOT IN ('BOOKED', 'RESERVED'))""";

    /** A seat {@link #SEAT_KEPT} applies to that {@link #KEPT_STATUS} books: reserved, and a confirmed booking claims it. */
    private static final String KEPT_BOOKED = "(q.confirmed AND {i}.map_status('seat', l.status) = 'RESERVED')";

    /**
     * The status a seat {@link #SEAT_KEPT} applies to gets: its legacy one, but booked where a confirmed booking claims it
     * (paid for; left reserved, the legacy app might let the hold go and sell the seat again).
     */
    private static final String KEPT_STATUS = "(CASE WHEN " + KEPT_BOOKED + " THEN 'booked' ELSE l.status END)";

    /** The seats {@link #SEAT_KEPT} applies to, each with a claimant, for the notes ({@code booked}: {@link #KEPT_STATUS} books it). */
    private static final String SEATS_KEPT = """
            SELECT 'Seat:' || l.id || ' (' || q.claimant || ')' AS seat,
                   {booked} AS booked
              FROM {t}.seat s JOIN pg_temp.held_seat q ON q.seat = s.legacy_id JOIN public."Seat" l ON l.id = s.legacy_id
             WHERE s.id = {i}.legacy_uuid('seat', l.id) AND s.updated_at > {cutover} AND {kept}
             ORDER BY l.id""".replace("{kept}", SEAT_KEPT).replace("{booked}", KEPT_BOOKED);

    /**
     * The legacy rows of {table} still live ({live}, as the vocabulary of {kind} reads them) of a booking the carry-back made
     * cancelled, cancelled too (the legacy app's own spelling, with the booking's updatedAt). Recorded as changes (their own
     * table's rows), so that one the legacy app changed after the cut-over too is refused like any other.
     */
    private static final String CANCEL_LEFT_LIVE = """
            WITH cancelled AS (
                UPDATE public."{table}" l SET status = 'cancelled', "updatedAt" = b."updatedAt"
                  FROM pg_temp.carried_back c JOIN public."Booking" b ON b.id = c.id
                 WHERE c.table_name = 'Booking' AND l."bookingId" = b.id AND {i}.map_status('booking', b.status) = 'CANCELLED'
                   AND {i}.map_status('{kind}', l.status) IN ({live})
                RETURNING l.id),
                 recorded AS (INSERT INTO pg_temp.carried_back (table_name, id, changed) SELECT '{table}', id, true FROM cancelled)
            SELECT id FROM cancelled ORDER BY id""";

    /**
     * A legacy ticket still valid of a booking the carry-back made cancelled: the import did not migrate it (quarantined
     * with its booking-seat pair, say), so the new application's cancellation never reached it, and it would still admit at
     * the door. A used one stays used: who came in.
     */
    private static final String CANCEL_LIVE_TICKETS = CANCEL_LEFT_LIVE.replace("{table}", "Ticket").replace("{kind}", "ticket")
            .replace("{live}", "'VALID'");

    /**
     * A legacy checkout still pending (open or processing) of a booking the carry-back made cancelled: the import did not
     * migrate it (an open checkout of a paid booking, quarantined, say), so the new application never settled it, and the
     * legacy app would take it for a payment under way. Cancelled, as the new application cancels the checkouts of what
     * it cancels (an expiry would not do: a processing checkout never expires).
     */
    private static final String CANCEL_OPEN_CHECKOUTS = CANCEL_LEFT_LIVE.replace("{table}", "PaymentSession").replace("{kind}", "payment_session")
            .replace("{live}", "'OPEN', 'PROCESSING'");

    /**
     * The legacy user each customer the new application created is carried back as: a new one with the UUID it was
     * born with, or, when a legacy user the import did not migrate (quarantined, say for a date out of range) holds
     * its address, that user. The new application let that address sign up again, most likely its owner; the
     * legacy table keeps one user an address, and the customer's bookings, checkouts and tickets must name one.
     */
    private static final String CARRIED_CUSTOMERS = """
            CREATE TEMP TABLE carried_customer ON COMMIT DROP AS
            SELECT c.id, coalesce(m.user_id, c.id::text) AS user_id, m.user_id IS NOT NULL AS matched
              FROM {t}.customer c
              LEFT JOIN (SELECT {i}.normal_email(l.email) AS email, min(l.id) AS user_id FROM public."User" l
                          WHERE NOT EXISTS (SELECT 1 FROM {t}.customer n WHERE n.legacy_id = l.id)
                          GROUP BY 1) m ON m.email = c.email
             WHERE c.legacy_id IS NULL;
            CREATE UNIQUE INDEX ON carried_customer (id);
            ANALYZE carried_customer;
            """;

    /** {legacy_user}: the legacy "userId" of customer {@code c}: its legacy id, or the user it is carried back as. */
    private static final String LEGACY_USER_ID = "coalesce(c.legacy_id, (SELECT u.user_id FROM pg_temp.carried_customer u WHERE u.id = c.id))";

    /**
     * Whether the new application changed a column since the cut-over, where its value alone cannot say: a seat's status
     * ({@link #SEAT_STATUS_CHANGED}). Else a column whose carried-back value differs from the legacy row's at the cut-over.
     */
    private static final Map<String, String> CHANGED_BY_APPLICATION = Map.of(
            "Seat.status", "EXISTS (SELECT 1 FROM pg_temp.seat_status_changed c WHERE c.seat_id = s.id)");

    /** A column both changed that is no conflict: a seat's status that a legacy claim keeps ({@link #SEAT_KEPT}). */
    private static final Map<String, String> NO_CONFLICT_WHEN = Map.of("Seat.status", "{kept}");

    /**
     * The carry-back of the legacy rows of {@code table} the new application changed, merged with what the legacy app
     * changed since the cut-over, column by column, in the one statement (a value put back afterwards could meet a unique
     * key on the way: an address the legacy app moved to another user). {@code set}: each legacy column and the new
     * application's value of it; a column whose value the new application left as it was at the cut-over keeps the legacy
     * app's. Each row comes with the columns both changed, to different values ({@code columns}): refused by
     * {@link #refuseConflicts}, or, with {@code --overwrite-legacy-changes}, carried back and listed. A row whose state at
     * the cut-over the change log does not hold (an earlier version's log) conflicts in every column whose values differ.
     * {@code from} names the new schema's row, whose legacy id is {@code legacyId}.
     */
    private static String changedRow(String table, String with, Map<String, String> set, String updatedAt, String from, String legacyId,
                                     String where) {
        String relation = "public." + Jdbc.quoteIdent(table);
        List<String> assignments = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        set.entrySet().stream().sorted(Comparator.comparing(entry -> entry.getKey().replace("\"", ""))).forEach(entry -> {
            String column = entry.getKey();
            String value = entry.getValue();
            String compared = MERGED_COLUMNS.get(table).get(column);
            // o: the legacy row at the cut-over, n: as the legacy app left it (both null for a row it did not change), l: this one
            String atCutOver = compared.replace("{c}", "o." + column);
            String legacy = compared.replace("{c}", "n." + column);
            String carried = compared.replace("{c}", "l." + column);
            String key = table + "." + column.replace("\"", "");
            String byApplication = CHANGED_BY_APPLICATION.getOrDefault(key, compared.replace("{c}", "(" + value + ")") + " IS DISTINCT FROM " + atCutOver);
            assignments.add(column + " = CASE WHEN x.before IS NOT NULL AND NOT (" + byApplication + ") THEN l." + column + " ELSE " + value + " END");
            conflicts.add("CASE WHEN x.now IS NOT NULL AND " + carried + " IS DISTINCT FROM " + legacy + " AND (x.before IS NULL OR ((" + byApplication
                    + ") AND " + legacy + " IS DISTINCT FROM " + atCutOver + "))"
                    + (NO_CONFLICT_WHEN.containsKey(key) ? " AND NOT " + NO_CONFLICT_WHEN.get(key) : "") + " THEN '" + column.replace("\"", "") + "' END");
        });
        return with + "UPDATE " + relation + " l SET " + String.join(", ", assignments) + ", \"updatedAt\" = greatest(l.\"updatedAt\", " + updatedAt + ")"
                + "\n  FROM " + from
                + "\n  LEFT JOIN pg_temp.legacy_changed x ON x.table_name = '" + table + "' AND x.id = " + legacyId
                + "\n  LEFT JOIN LATERAL jsonb_populate_record(NULL::" + relation + ", x.before) o ON true"
                + "\n  LEFT JOIN LATERAL jsonb_populate_record(NULL::" + relation + ", x.now) n ON true"
                + "\n WHERE " + where
                + "\nRETURNING l.id, array_remove(ARRAY[" + String.join(", ", conflicts) + "], NULL)";
    }

    /** id text of a new-schema row in the legacy tables: its legacy id, or the UUID it was born with. */
    private static final Map<String, String> CARRY_BACK = new LinkedHashMap<>();

    private static final String SEAT_CHANGED = "Seat changed";
    /** The legacy table of checkouts' seat links: the carry-back records each link it writes with its seat. */
    private static final String SEAT_LINK = "_PaymentSessionToSeat";

    static {
        // Changed addresses first: a customer may have taken over the address a migrated one left.
        CARRY_BACK.put("User changed", changedRow("User", "", Map.of("email", "c.email", "name", "c.name"), "c.updated_at AT TIME ZONE 'UTC'",
                "{t}.customer c", "c.legacy_id", """
                c.legacy_id = l.id AND c.id = {i}.legacy_uuid('user', l.id) AND c.updated_at > {cutover}
                   AND ({i}.normal_email(l.email), l.name) IS DISTINCT FROM (c.email, c.name)"""));
        CARRY_BACK.put("User new", """
                INSERT INTO public."User" (id, email, name, "createdAt", "updatedAt")
                -- an updatedAt never earlier than createdAt, here and in every row created below (the application's clock writes
                -- created_at, the database's updated_at: a few ms apart; Prisma's rows never are)
                SELECT c.id::text, c.email, c.name, c.created_at AT TIME ZONE 'UTC', greatest(c.created_at, c.updated_at) AT TIME ZONE 'UTC'
                  FROM {t}.customer c JOIN pg_temp.carried_customer u ON u.id = c.id AND NOT u.matched
                RETURNING id""");
        CARRY_BACK.put("Event new", """
                INSERT INTO public."Event" (id, title, description, venue, "startDate", "endDate", status, "createdAt", "updatedAt")
                SELECT e.id::text, e.title, e.description, e.venue, e.starts_at AT TIME ZONE 'UTC', e.ends_at AT TIME ZONE 'UTC',
                       e.status::text, e.created_at AT TIME ZONE 'UTC', greatest(e.created_at, e.updated_at) AT TIME ZONE 'UTC'
                  FROM {t}.event e WHERE e.legacy_id IS NULL ON CONFLICT DO NOTHING RETURNING id""");
        CARRY_BACK.put("Event changed", changedRow("Event", "", Map.of("title", "e.title", "description", "e.description", "venue", "e.venue",
                        "\"startDate\"", "(e.starts_at AT TIME ZONE 'UTC')::timestamp(3)", "\"endDate\"", "(e.ends_at AT TIME ZONE 'UTC')::timestamp(3)",
                        "status", "e.status::text"), "e.updated_at AT TIME ZONE 'UTC'", "{t}.event e", "e.legacy_id", """
                e.legacy_id = l.id AND e.id = {i}.legacy_uuid('event', l.id) AND e.updated_at > {cutover}
                   AND ({i}.map_status('event', l.status), l.title, l.description, l.venue, l."startDate", l."endDate")
                       IS DISTINCT FROM (e.status::text, e.title, e.description, e.venue,
                                         (e.starts_at AT TIME ZONE 'UTC')::timestamp(3), (e.ends_at AT TIME ZONE 'UTC')::timestamp(3))"""));
        CARRY_BACK.put("Seat new", """
                INSERT INTO public."Seat" (id, "eventId", section, "row", number, price, status, "createdAt", "updatedAt")
                SELECT s.id::text, coalesce(e.legacy_id, e.id::text), s.section, s."row", s.number, s.price, lower(s.status::text),
                       s.created_at AT TIME ZONE 'UTC', greatest(s.created_at, s.updated_at) AT TIME ZONE 'UTC'
                  FROM {t}.seat s JOIN {t}.event e ON e.id = s.event_id WHERE s.legacy_id IS NULL ON CONFLICT DO NOTHING RETURNING id""");
        CARRY_BACK.put("Booking new", """
                INSERT INTO public."Booking" (id, "userId", "eventId", seats, "totalAmount", status, "createdAt", "updatedAt")
                SELECT b.id::text, {legacy_user}, coalesce(e.legacy_id, e.id::text),
                       coalesce((SELECT jsonb_agg(coalesce(s.legacy_id, s.id::text) ORDER BY bs.created_at, s.legacy_id, s.id)
                                   FROM {t}.booked_seat bs JOIN {t}.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                                  WHERE bs.event_id = b.event_id AND bs.booking_id = b.id), '[]'::jsonb),
                       b.total_amount, lower(b.status::text), b.created_at AT TIME ZONE 'UTC', greatest(b.created_at, b.updated_at) AT TIME ZONE 'UTC'
                  FROM {t}.booking b JOIN {t}.customer c ON c.id = b.customer_id JOIN {t}.event e ON e.id = b.event_id
                 WHERE b.legacy_id IS NULL ON CONFLICT DO NOTHING RETURNING id""");
        CARRY_BACK.put("Booking changed", changedRow("Booking", "WITH expired_unpaid AS MATERIALIZED (SELECT * FROM {i}.expired_unpaid_bookings())\n",
                Map.of("status", "lower(b.status::text)", "\"totalAmount\"", "b.total_amount"), "b.updated_at AT TIME ZONE 'UTC'",
                "{t}.booking b", "b.legacy_id", """
                b.legacy_id = l.id AND b.id = {i}.legacy_uuid('booking', l.id)
                   -- changed where the legacy row can hold it: confirmed or cancelled since, not only marked reviewed (no legacy form)
                   AND (b.confirmed_at > {cutover} OR b.cancelled_at > {cutover}
                        OR (b.updated_at > {cutover} AND l."totalAmount" IS DISTINCT FROM b.total_amount))
                   AND ({i}.map_status('booking', l.status), l."totalAmount") IS DISTINCT FROM (b.status::text, b.total_amount)
                   -- the import itself cancelled a booking whose payment went stale: the legacy row stays as it was
                   AND NOT (b.status = 'CANCELLED' AND l."totalAmount" = b.total_amount
                            AND EXISTS (SELECT 1 FROM expired_unpaid e WHERE e.booking_legacy_id = l.id))"""));
        CARRY_BACK.put("PaymentSession new", """
                INSERT INTO public."PaymentSession" (id, "userId", "eventId", "bookingId", amount, status, "providerRef", "expiresAt", "createdAt", "updatedAt")
                SELECT p.id::text, {legacy_user}, coalesce(e.legacy_id, e.id::text),
                       (SELECT coalesce(b.legacy_id, b.id::text) FROM {t}.booking b WHERE b.event_id = p.event_id AND b.id = p.booking_id),
                       p.amount, CASE p.status WHEN 'OPEN' THEN 'pending' WHEN 'PROCESSING' THEN 'pending' WHEN 'SUCCEEDED' THEN 'completed'
                                  ELSE lower(p.status::text) END,
                       p.provider_ref, p.expires_at AT TIME ZONE 'UTC', p.created_at AT TIME ZONE 'UTC', greatest(p.created_at, p.updated_at) AT TIME ZONE 'UTC'
                  FROM {t}.payment_session p JOIN {t}.customer c ON c.id = p.customer_id JOIN {t}.event e ON e.id = p.event_id
                 WHERE p.legacy_id IS NULL ON CONFLICT DO NOTHING RETURNING id""");
        CARRY_BACK.put("PaymentSession changed", changedRow("PaymentSession", "", Map.of(
                        "status", "CASE p.status WHEN 'OPEN' THEN 'pending' WHEN 'PROCESSING' THEN 'pending' WHEN 'SUCCEEDED' THEN 'completed' "
                                + "ELSE lower(p.status::text) END",
                        "amount", "p.amount", "\"providerRef\"", "p.provider_ref", "\"expiresAt\"", "(p.expires_at AT TIME ZONE 'UTC')::timestamp(3)",
                        "\"bookingId\"", "coalesce((SELECT coalesce(b.legacy_id, b.id::text) FROM {t}.booking b WHERE b.event_id = p.event_id "
                                + "AND b.id = p.booking_id), l.\"bookingId\")"),
                "p.updated_at AT TIME ZONE 'UTC'", "{t}.payment_session p", "p.legacy_id", """
                p.legacy_id = l.id AND p.id = {i}.legacy_uuid('payment_session', l.id) AND p.updated_at > {cutover}
                   AND ({i}.checkout_status(l.status, (SELECT lb.status FROM public."Booking" lb WHERE lb.id = l."bookingId"),
                                            l."expiresAt", {i}.import_started()),
                        l.amount, l."providerRef", l."expiresAt", l."bookingId")
                       IS DISTINCT FROM (p.status::text, p.amount, p.provider_ref, (p.expires_at AT TIME ZONE 'UTC')::timestamp(3),
                                         coalesce((SELECT coalesce(b.legacy_id, b.id::text) FROM {t}.booking b
                                                    WHERE b.event_id = p.event_id AND b.id = p.booking_id), l."bookingId"))"""));
        // After the bookings and checkouts: the quarantined claims are read as the carry-back left them.
        CARRY_BACK.put(SEAT_CHANGED, changedRow("Seat", "", Map.of("section", "s.section", "\"row\"", "s.\"row\"", "number", "s.number",
                        "price", "s.price", "status", "CASE WHEN {kept} THEN {kept_status} ELSE lower(s.status::text) END"),
                "s.updated_at AT TIME ZONE 'UTC'", "{t}.seat s LEFT JOIN pg_temp.held_seat q ON q.seat = s.legacy_id", "s.legacy_id", """
                s.legacy_id = l.id AND s.id = {i}.legacy_uuid('seat', l.id) AND s.updated_at > {cutover}
                   AND ({i}.map_status('seat', l.status), l.section, l."row", l.number, l.price)
                       IS DISTINCT FROM (CASE WHEN {kept} THEN {i}.map_status('seat', {kept_status}) ELSE s.status::text END,
                                         s.section, s."row", s.number, s.price)""").replace("{kept}", SEAT_KEPT).replace("{kept_status}", KEPT_STATUS));
        CARRY_BACK.put(SEAT_LINK + " new", """
                INSERT INTO public."_PaymentSessionToSeat" ("A", "B")
                SELECT coalesce(p.legacy_id, p.id::text), coalesce(s.legacy_id, s.id::text)
                  FROM {t}.payment_session_seat ps
                  JOIN {t}.payment_session p ON p.event_id = ps.event_id AND p.id = ps.payment_session_id
                  JOIN {t}.seat s ON s.event_id = ps.event_id AND s.id = ps.seat_id
                 WHERE p.legacy_id IS NULL OR ps.created_at > {cutover}
                ON CONFLICT DO NOTHING RETURNING "A", "B"
                """);
        CARRY_BACK.put("Ticket new", """
                INSERT INTO public."Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "createdAt", "updatedAt")
                SELECT t.id::text, coalesce(b.legacy_id, b.id::text), coalesce(s.legacy_id, s.id::text), coalesce(e.legacy_id, e.id::text),
                       {legacy_user}, t.code, lower(t.status::text), t.created_at AT TIME ZONE 'UTC', greatest(t.created_at, t.updated_at) AT TIME ZONE 'UTC'
                  FROM {t}.ticket t
                  JOIN {t}.booking b ON b.event_id = t.event_id AND b.id = t.booking_id
                  JOIN {t}.seat s ON s.event_id = t.event_id AND s.id = t.seat_id
                  JOIN {t}.event e ON e.id = t.event_id
                  JOIN {t}.customer c ON c.id = t.customer_id
                 WHERE t.legacy_id IS NULL
                   -- not those the import issued for legacy bookings that had none (ImportStep.RECONCILE)
                   AND NOT EXISTS (SELECT 1 FROM {issued} it WHERE it.event_id = t.event_id AND it.ticket_id = t.id)
                ON CONFLICT DO NOTHING RETURNING id""");
        CARRY_BACK.put("Ticket changed", changedRow("Ticket", "", Map.of("status", "lower(t.status::text)", "code", "t.code"),
                "t.updated_at AT TIME ZONE 'UTC'", "{t}.ticket t", "t.legacy_id", """
                t.legacy_id = l.id AND t.id = {i}.legacy_uuid('ticket', l.id) AND t.updated_at > {cutover}
                   AND ({i}.map_status('ticket', l.status), l.code) IS DISTINCT FROM (t.status::text, t.code)"""));
    }
}
