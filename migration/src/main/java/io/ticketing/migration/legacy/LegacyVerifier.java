package io.ticketing.migration.legacy;

import io.ticketing.database.DatabaseErrors;
import io.ticketing.migration.schema.SchemaInvariants;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code legacy verify}: parity between the legacy tables and the new schema, row by row. Every
 * legacy row is migrated or quarantined (not both, not neither); nothing was migrated that the
 * legacy tables do not hold; each migrated row carries the legacy values (statuses through the
 * vocabularies, amounts, positions, texts, references, the seat set of each booking and checkout,
 * and the times the import derives: when a booking was confirmed or cancelled, when a booked or
 * checkout seat was released, when a ticket was checked in); summaries equal a recount. Rows the
 * new application created after the cut-over (legacy_id null), and the columns of migrated rows it changed since (its
 * audit trail says which), are not compared.
 */
public final class LegacyVerifier {

    private final DataSource dataSource;

    public LegacyVerifier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The check that the import finished: its last step refreshes the sales view after its last write. */
    static final String SALES_VIEW_STALE = "event_sales_summary: not refreshed since the import's last write (run `legacy import` again)";

    /** The prefix of the checks that are the schema's own rules ({@link SchemaInvariants}) rather than a comparison. */
    static final String SCHEMA_RULE = "schema rule: ";

    public record Check(String name, long differences, List<String> examples) {
    }

    /** {@code applicationChanged}: migrated rows the new application changed since the cut-over (those columns are not compared). */
    public record Result(List<Check> checks, long applicationChanged) {
        public boolean clean() {
            return checks.stream().allMatch(c -> c.differences() == 0);
        }

        public void print(PrintStream out) {
            out.printf("%-62s %11s  %s%n", "check", "differences", "examples (legacy ids)");
            for (Check c : checks) {
                out.printf("%-62s %11d  %s%n", c.name(), c.differences(), ImportReport.shown(c.examples()));
            }
            if (applicationChanged > 0) {
                out.println("note: " + applicationChanged + " migrated " + (applicationChanged == 1 ? "row" : "rows")
                        + " changed by the new application since the cut-over: the columns it changed are its own, not compared");
            }
            long failed = checks.stream().filter(c -> c.differences() > 0).count();
            out.println(clean() ? "verify: OK, no differences"
                    : "verify: FAILED, " + failed + (failed == 1 ? " check" : " checks") + " found differences");
        }
    }

    /**
     * Compares, holding the import lock in its shared form: refused while an import, rollback or
     * finalize runs (whose half-done work would read as differences), and none of them starts until
     * it is done.
     */
    public Result run() throws SQLException {
        return run(true);
    }

    /** {@code lock}: take the import lock first; false for a caller that holds it already (finalize). */
    Result run(boolean lock) throws SQLException {
        try (ImportLock ignored = lock ? ImportLock.shared(dataSource, "verify") : null; Connection connection = dataSource.getConnection()) {
            MigrationState.of(connection).requireLegacyTablesAndImport("verify");
            // It writes a temporary table; on a standby its lock would not keep out an import of the primary's.
            LegacySchema.requireWritableSession(connection, "verify", "it writes a temporary table");
            LegacySchema.requireVerifyPrivileges(connection);
            LegacySchema.requireLegacyColumns(connection, "verify");
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            Result result;
            try {
                result = compare(connection, true);
            } catch (SQLException e) {
                // Verify only reads, and may run as a role that may not write: it cannot bring an earlier version's support up to date.
                if ((DatabaseErrors.isUndefinedFunction(e) || DatabaseErrors.isUndefinedTable(e))
                        && String.valueOf(e.getMessage()).contains(LegacyImporter.IMPORT_SCHEMA + ".")) {
                    throw new IllegalStateException("verify refused: schema " + LegacyImporter.IMPORT_SCHEMA + " was written by an "
                            + "earlier version of ticketing, without what this version compares through; run `legacy import` "
                            + "with this version (it resumes, and brings the schema up to date) or that version's `legacy verify`", e);
                }
                throw e;
            }
            connection.rollback();
            return result;
        }
    }

    /** Compares in the caller's transaction, seeing its changes (finalize's, which discards legacy changes before it drops). */
    static Result runIn(Connection connection) throws SQLException {
        return compare(connection, false);
    }

    private static Result compare(Connection connection, boolean readOnly) throws SQLException {
        // The bookings the import cancelled for a stale checkout, which four checks join: computed
        // once (its statuses are read through regular expressions) and kept with an index, where a
        // common table expression rescanned per booking took minutes at a million seats. The
        // transaction's own table, created before it turns read-only (which may fill a temporary
        // table but not create one).
        Jdbc.script(connection, "CREATE TEMP TABLE expired_unpaid (booking_legacy_id text PRIMARY KEY, expired_at timestamptz) ON COMMIT DROP");
        if (readOnly) {
            Jdbc.script(connection, "SET TRANSACTION READ ONLY");
        }
        Jdbc.script(connection, "INSERT INTO pg_temp.expired_unpaid SELECT * FROM " + LegacyImporter.IMPORT_SCHEMA + ".expired_unpaid_bookings()");
        // Legacy changes an operator discarded at finalize (LegacyFinalizer), which earlier imports have no table for.
        String discarded = Jdbc.exists(connection, LegacyImporter.IMPORT_SCHEMA, LegacyFinalizer.DISCARDED)
                ? LegacyImporter.IMPORT_SCHEMA + "." + LegacyFinalizer.DISCARDED : "(SELECT ''::text AS table_name, ''::text AS legacy_id WHERE false)";
        String issued = ImportStep.issuedTickets(connection);
        List<Check> checks = new ArrayList<>();
        Map<String, String> all = checks();
        // The copy and the catch-up rounds before the cut-over write with the triggers off (when the role may):
        // every foreign key is checked here, set-based.
        all.put(SCHEMA_RULE + "a row without its parent (foreign keys)", SchemaInvariants.foreignKeyOrphanRows(connection));
        for (var entry : all.entrySet()) {
            Map<String, Object> row = Jdbc.query(connection, "SELECT count(*) AS n, (array_agg(id ORDER BY id))[1:3] AS examples FROM ("
                    + resolve(entry.getValue(), discarded).replace("{issued}", issued) + ") d").get(0);
            Array examples = (Array) row.get("examples");
            checks.add(new Check(entry.getKey(), ((Number) row.get("n")).longValue(), examples == null ? List.of()
                    : Arrays.stream((Object[]) examples.getArray()).map(String::valueOf).toList()));
        }
        long applicationChanged = Jdbc.count(connection, resolve(TABLES.stream().map(t -> "SELECT count(DISTINCT a.entity_id) AS n "
                + "FROM {t}.audit_log a JOIN {t}." + t.target() + " n ON n.id = a.entity_id AND n.legacy_id IS NOT NULL WHERE a.entity_type = '"
                + t.target() + "' AND " + APPLICATION_ENTRIES).collect(Collectors.joining(" UNION ALL ", "SELECT sum(n) FROM (", ") c")), discarded));
        return new Result(checks, applicationChanged);
    }

    private static String resolve(String sql, String discarded) {
        return sql.replace("{since}", APPLICATION_SINCE).replace("{discarded}", discarded).replace("{t}", LegacyImporter.TARGET)
                .replace("{i}", LegacyImporter.IMPORT_SCHEMA);
    }

    /**
     * Where the new application's own changes begin, once an import has cut over: the line {@code rollback} carries back
     * from ({@link LegacyRollback#APPLICATION_SINCE}). Before any cut-over, never.
     */
    private static final String APPLICATION_SINCE = "coalesce((SELECT CASE WHEN r.cutover_at IS NOT NULL THEN "
            + LegacyRollback.APPLICATION_SINCE + " END FROM {i}.run r), 'infinity')";

    /**
     * The audit trail's entries (V1) of the new application's changes since the cut-over: written in a transaction that
     * said who acts (role:name, Actor in the domain); not the import's own ({@code legacy-import}) nor those of a session
     * that said nothing, such as an edit by hand in psql (its role's name), which verify compares like the import's.
     */
    private static final String APPLICATION_ENTRIES = "a.action = 'UPDATE' AND a.occurred_at > {since} "
            + "AND a.actor ~ '^(anonymous|customer|staff|admin|system):'";

    /**
     * Whether the new application changed {@code column} of the migrated row {@code row} of {@code table} since the
     * cut-over: that column of that row is then its own, and not compared (a ticket checked in, a booking cancelled, an
     * event edited), so that {@code finalize} may run after the switch, while the row's other columns still are.
     */
    private static String changedByApplication(String table, String row, String column) {
        return ("EXISTS (SELECT 1 FROM {t}.audit_log a WHERE a.entity_type = '%s' AND a.entity_id = %s.id AND a.new_values -> '%s' IS NOT NULL AND "
                + APPLICATION_ENTRIES + ")").formatted(table, row, column);
    }

    /** A value the import wrote that differs from what it derives from the legacy row. */
    private static String differs(String migrated, String legacy) {
        return "(" + migrated + ") IS DISTINCT FROM (" + legacy + ")";
    }

    /**
     * The time the import stored for {@code legacy}, a time it takes from a legacy updatedAt (ImportStep): that time,
     * or the import's own clock when the legacy one was later. A stored time within the import's run and before the
     * legacy one is such a clock.
     */
    private static String importedTime(String stored, String legacy) {
        return "CASE WHEN (%2$s) > (%1$s) AND (%1$s) BETWEEN {i}.import_started() AND {since} THEN (%1$s) ELSE (%2$s) END"
                .formatted(stored, legacy);
    }

    /** As {@link #differs(String, String)}, unless {@code changedByApplication} (see {@link #changedByApplication}). */
    private static String differs(String migrated, String legacy, String changedByApplication) {
        return "(" + differs(migrated, legacy) + " AND NOT " + changedByApplication + ")";
    }

    /** Not a legacy row whose changes {@code finalize --discard-legacy-changes} discarded (LegacyFinalizer). */
    private static String notDiscarded(String legacyTable, String legacyId) {
        return "NOT EXISTS (SELECT 1 FROM {discarded} d WHERE d.table_name = '%s' AND d.legacy_id = %s)".formatted(legacyTable, legacyId);
    }

    /** A legacy table with an id of its own, the table it moves to, and the kind its ids are mapped as. */
    record Table(String legacy, String target, String kind) {
    }

    static final List<Table> TABLES = List.of(new Table("User", "customer", "user"), new Table("Event", "event", "event"),
            new Table("Seat", "seat", "seat"), new Table("Booking", "booking", "booking"),
            new Table("PaymentSession", "payment_session", "payment_session"), new Table("Ticket", "ticket", "ticket"));

    /**
     * Check name → a query yielding one {@code id} (text) per difference. Every column the import
     * writes is compared with what it derives it from (ImportStep), except updated_at, which the
     * new schema's triggers set on every change.
     * <p>
     * The comparisons find a legacy row's migrated row by its legacy id alone ({@code n.legacy_id = l.id}): a key of
     * each table (with the event where the event partitions the table, and those checks compare event_id, so that a
     * row carried to another event is a difference). A join on the id derived from it cost an md5 per row, three times
     * the rest of the join at a million seats; that each migrated row has the id derived from its legacy id is checked
     * once per table, by "neither migrated nor quarantined".
     */
    private static Map<String, String> checks() {
        Map<String, String> checks = new LinkedHashMap<>();
        // A copy killed before it built again what it dropped (ImportSession.deferIndexes): the next import does.
        checks.put("copy unfinished: an index or key not built again", "SELECT index_name AS id FROM {i}.deferred_index");
        for (Table t : TABLES) {
            // Migrated with the id derived from its legacy id; a row that carries the legacy id at all is "both" if quarantined.
            String migrated = "EXISTS (SELECT 1 FROM {t}.%s n WHERE n.id = {i}.legacy_uuid('%s', l.id) AND n.legacy_id = l.id)"
                    .formatted(t.target(), t.kind());
            String carried = "EXISTS (SELECT 1 FROM {t}.%s n WHERE n.legacy_id = l.id)".formatted(t.target());
            String quarantined = "EXISTS (SELECT 1 FROM {i}.quarantine q WHERE q.table_name = '%s' AND q.legacy_id = l.id)".formatted(t.legacy());
            String from = "public." + Jdbc.quoteIdent(t.legacy()) + " l";
            checks.put(t.legacy() + ": neither migrated nor quarantined",
                    "SELECT l.id FROM " + from + " WHERE NOT " + migrated + " AND NOT " + quarantined + " AND " + notDiscarded(t.legacy(), "l.id"));
            checks.put(t.legacy() + ": both migrated and quarantined", "SELECT l.id FROM " + from + " WHERE " + carried + " AND " + quarantined);
            checks.put(t.legacy() + ": migrated but not in legacy", ("SELECT n.legacy_id AS id FROM {t}.%s n WHERE n.legacy_id IS NOT NULL "
                    + "AND NOT EXISTS (SELECT 1 FROM %s WHERE l.id = n.legacy_id) AND %s").formatted(t.target(), from,
                    notDiscarded(t.legacy(), "n.legacy_id")));
        }
        String link = """
                EXISTS (SELECT 1 FROM {t}.payment_session_seat n
                         WHERE n.payment_session_id = {i}.legacy_uuid('payment_session', l."A") AND n.seat_id = {i}.legacy_uuid('seat', l."B"))""";
        // A pair by its two ids (batch_key is A, the payload holds both), not by its legacy_id: an earlier version named
        // ('p1/q', 's1') and ('p1', 'q/s1') alike. Pairs are named as the quarantine names them (ImportStep.pairKey).
        String linkQuarantined = """
                EXISTS (SELECT 1 FROM {i}.quarantine q
                         WHERE q.table_name = '_PaymentSessionToSeat' AND q.batch_key = l."A" AND q.payload ->> 'B' = l."B")""";
        String legacyLink = ImportStep.pairKey("l.\"A\"", "l.\"B\"");
        checks.put("_PaymentSessionToSeat: neither migrated nor quarantined",
                "SELECT " + legacyLink + " AS id FROM public.\"_PaymentSessionToSeat\" l WHERE NOT " + link + " AND NOT " + linkQuarantined
                        + " AND " + notDiscarded("_PaymentSessionToSeat", "l.\"A\""));
        checks.put("_PaymentSessionToSeat: both migrated and quarantined",
                "SELECT " + legacyLink + " AS id FROM public.\"_PaymentSessionToSeat\" l WHERE " + link + " AND " + linkQuarantined);
        checks.put("_PaymentSessionToSeat: migrated but not in legacy", """
                SELECT %s AS id FROM {t}.payment_session_seat n
                  JOIN {t}.payment_session p ON p.event_id = n.event_id AND p.id = n.payment_session_id
                  JOIN {t}.seat s ON s.event_id = n.event_id AND s.id = n.seat_id
                 WHERE p.legacy_id IS NOT NULL AND s.legacy_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM public."_PaymentSessionToSeat" l WHERE l."A" = p.legacy_id AND l."B" = s.legacy_id)
                   AND %s""".formatted(ImportStep.pairKey("p.legacy_id", "s.legacy_id"), notDiscarded("_PaymentSessionToSeat", "p.legacy_id")));

        checks.put("User: email or name differ", """
                SELECT l.id FROM public."User" l JOIN {t}.customer n ON n.legacy_id = l.id
                 WHERE (%s OR %s) AND %s""".formatted(differs("n.email", "{i}.normal_email(l.email)"), differs("n.name", "l.name"),
                notDiscarded("User", "l.id")));
        checks.put("Event: status, title or dates differ", """
                SELECT l.id FROM public."Event" l JOIN {t}.event n ON n.legacy_id = l.id
                 WHERE (%s OR %s OR %s OR %s) AND %s""".formatted(
                differs("n.status::text", "{i}.map_status('event', l.status)", changedByApplication("event", "n", "status")),
                differs("n.title", "l.title", changedByApplication("event", "n", "title")),
                differs("n.starts_at", "l.\"startDate\" AT TIME ZONE 'UTC'", changedByApplication("event", "n", "starts_at")),
                differs("n.ends_at", "l.\"endDate\" AT TIME ZONE 'UTC'", changedByApplication("event", "n", "ends_at")),
                notDiscarded("Event", "l.id")));
        checks.put("Event: description, venue or currency differ", """
                SELECT l.id FROM public."Event" l JOIN {t}.event n ON n.legacy_id = l.id
                 WHERE (%s OR %s OR %s) AND %s""".formatted(
                differs("n.description", "l.description", changedByApplication("event", "n", "description")),
                differs("n.venue", "l.venue", changedByApplication("event", "n", "venue")),
                differs("n.currency", "(SELECT currency FROM {i}.run)"), notDiscarded("Event", "l.id")));
        // The legacy app deletes an event for good; one it still has is not deleted, unless the new application did it.
        checks.put("Event: is_deleted, deleted_at or deleted_by differ", """
                SELECT l.id FROM public."Event" l JOIN {t}.event n ON n.legacy_id = l.id
                 WHERE (%s OR %s OR %s) AND %s""".formatted(
                differs("n.is_deleted", "false", changedByApplication("event", "n", "is_deleted")),
                differs("n.deleted_at", "NULL::timestamptz", changedByApplication("event", "n", "deleted_at")),
                differs("n.deleted_by", "NULL::text", changedByApplication("event", "n", "deleted_by")), notDiscarded("Event", "l.id")));
        checks.put("Seat: position or price differ", """
                SELECT l.id FROM public."Seat" l JOIN {t}.seat n ON n.legacy_id = l.id
                 WHERE (%s OR %s OR %s OR %s OR %s) AND %s""".formatted(differs("n.event_id", "{i}.legacy_uuid('event', l.\"eventId\")"),
                differs("n.section", "l.section", changedByApplication("seat", "n", "section")),
                differs("n.\"row\"", "l.\"row\"", changedByApplication("seat", "n", "row")),
                differs("n.number", "l.number", changedByApplication("seat", "n", "number")),
                differs("n.price", "l.price", changedByApplication("seat", "n", "price")), notDiscarded("Seat", "l.id")));
        // A seat has at most one active claim of each kind (unique indexes): joined by hash, where an EXISTS per seat and
        // kind cost an index probe each (a third of this check's time at a million seats). The legacy status is mapped once
        // per spelling: expected_seat_status, given the mapping's long expression, is called per row instead of inlined.
        // Unless the application changed it: blocked or unblocked it (audited), or claimed or released it since the cut-over
        // (a booking, a cancellation, an expiry: the seat's churn is not audited, its claims' times say it). Whoever changed it,
        // its status must agree with its claims: a schema rule, below.
        checks.put("Seat: status disagrees with legacy status and claims", """
                SELECT l.id FROM public."Seat" l JOIN {t}.seat n ON n.legacy_id = l.id
                  LEFT JOIN (SELECT bs.event_id, bs.seat_id, b.status FROM {t}.booked_seat bs
                               JOIN {t}.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                              WHERE bs.released_at IS NULL) claim ON claim.event_id = n.event_id AND claim.seat_id = n.id
                  LEFT JOIN (SELECT ps.event_id, ps.seat_id FROM {t}.payment_session_seat ps
                               JOIN {t}.payment_session p ON p.event_id = ps.event_id AND p.id = ps.payment_session_id
                              WHERE ps.released_at IS NULL AND p.status IN ('OPEN', 'PROCESSING')) hold
                         ON hold.event_id = n.event_id AND hold.seat_id = n.id
                  LEFT JOIN (SELECT status, {i}.map_status('seat', status) AS mapped FROM (SELECT DISTINCT status FROM public."Seat") d) ls
                         ON ls.status = l.status
                 WHERE n.status::text IS DISTINCT FROM {i}.expected_seat_status(ls.mapped,
                           coalesce(claim.status = 'CONFIRMED', false), coalesce(claim.status = 'PENDING', false) OR hold.seat_id IS NOT NULL)
                   AND NOT %s AND NOT EXISTS (SELECT 1 FROM {t}.booked_seat bs WHERE bs.event_id = n.event_id AND bs.seat_id = n.id
                                                 AND (bs.created_at > {since} OR bs.released_at > {since}))
                   AND NOT EXISTS (SELECT 1 FROM {t}.payment_session_seat ps WHERE ps.event_id = n.event_id AND ps.seat_id = n.id
                                     AND (ps.created_at > {since} OR ps.released_at > {since}))
                   AND %s""".formatted(changedByApplication("seat", "n", "status"), notDiscarded("Seat", "l.id")));
        // A pending booking whose checkout expired before the import without a payment result is cancelled at that expiry.
        checks.put("Booking: status, amount, customer or event differ", """
                SELECT l.id FROM public."Booking" l JOIN {t}.booking n ON n.legacy_id = l.id
                  LEFT JOIN pg_temp.expired_unpaid e ON e.booking_legacy_id = l.id
                 WHERE (%s OR %s OR %s OR %s) AND %s""".formatted(
                differs("n.status::text", "CASE WHEN e.booking_legacy_id IS NOT NULL THEN 'CANCELLED' ELSE {i}.map_status('booking', l.status) END",
                        changedByApplication("booking", "n", "status")),
                differs("n.total_amount", "l.\"totalAmount\""), differs("n.customer_id", "{i}.legacy_uuid('user', l.\"userId\")"),
                differs("n.event_id", "{i}.legacy_uuid('event', l.\"eventId\")"), notDiscarded("Booking", "l.id")));
        // A migrated booking names no checkout (its legacy checkouts name it), unless the new application gave it one.
        checks.put("Booking: payment_session_id differs", """
                SELECT l.id FROM public."Booking" l JOIN {t}.booking n ON n.legacy_id = l.id
                 WHERE %s AND %s""".formatted(differs("n.payment_session_id", "NULL::uuid",
                changedByApplication("booking", "n", "payment_session_id")), notDiscarded("Booking", "l.id")));
        // The legacy tables keep no such times: the import takes the booking's last update.
        // A cancelled booking that had been paid (a completed checkout, or tickets) keeps the earliest sign of its payment.
        checks.put("Booking: confirmed_at or cancelled_at differ", """
                SELECT l.id FROM public."Booking" l JOIN {t}.booking n ON n.legacy_id = l.id
                  LEFT JOIN pg_temp.expired_unpaid e ON e.booking_legacy_id = l.id
                 CROSS JOIN LATERAL (SELECT coalesce(CASE WHEN e.booking_legacy_id IS NOT NULL THEN 'CANCELLED' END, {i}.map_status('booking', l.status)) AS status,
                                            coalesce(e.expired_at, l."updatedAt" AT TIME ZONE 'UTC') AS at) x
                  LEFT JOIN (SELECT "bookingId" AS id, min(at) AS at
                               FROM (SELECT "bookingId", "updatedAt" AS at FROM public."PaymentSession"
                                      WHERE {i}.map_status('payment_session', status) = 'SUCCEEDED'
                                     UNION ALL SELECT "bookingId", "createdAt" FROM public."Ticket") e
                              GROUP BY "bookingId") paid ON paid.id = l.id
                 WHERE (%s OR %s) AND %s""".formatted(
                differs("n.confirmed_at", importedTime("n.confirmed_at", "CASE WHEN x.status = 'CONFIRMED' THEN x.at "
                        + "WHEN x.status = 'CANCELLED' AND paid.at IS NOT NULL THEN least(paid.at AT TIME ZONE 'UTC', x.at) END"),
                        changedByApplication("booking", "n", "confirmed_at")),
                differs("n.cancelled_at", importedTime("n.cancelled_at", "CASE WHEN x.status = 'CANCELLED' THEN x.at END"),
                        changedByApplication("booking", "n", "cancelled_at")),
                notDiscarded("Booking", "l.id")));
        // Each seat the legacy booking lists is either migrated with it or quarantined as a pair (not both).
        checks.put("Booking: seat set differs", """
                SELECT l.id FROM public."Booking" l JOIN {t}.booking n ON n.legacy_id = l.id
                 CROSS JOIN LATERAL {i}.decode_seats(l.seats) d
                 WHERE (d.problem IS NOT NULL
                    OR ARRAY(SELECT DISTINCT {i}.legacy_uuid('seat', x) FROM unnest(d.ids) x ORDER BY 1)
                       IS DISTINCT FROM ARRAY(SELECT u.seat_id FROM (
                                                  SELECT bs.seat_id FROM {t}.booked_seat bs WHERE bs.event_id = n.event_id AND bs.booking_id = n.id
                                                  UNION ALL
                                                  SELECT {i}.legacy_uuid('seat', q.payload ->> 'seatId') FROM {i}.quarantine q
                                                   WHERE q.table_name = 'Booking.seats' AND q.batch_key = l.id) u ORDER BY 1))
                   AND %s""".formatted(notDiscarded("Booking", "l.id")));
        // The booking is marked for review exactly when some pair was quarantined, its checkout expired unpaid, the import
        // issued a ticket for one of its seats, or a running checkout of it has an id the webhook cannot name; unless the
        // application cleared the mark (POST …/review-done).
        // A mark cleared by hand, in psql, is a difference like any other edit by hand: its own, not the seat set's.
        checks.put("Booking: review_reason (marked for review or not) differs", """
                SELECT l.id FROM public."Booking" l JOIN {t}.booking n ON n.legacy_id = l.id
                  LEFT JOIN pg_temp.expired_unpaid e ON e.booking_legacy_id = l.id
                 WHERE (n.review_reason IS NOT NULL) <> (EXISTS (SELECT 1 FROM {i}.quarantine q WHERE q.table_name = 'Booking.seats' AND q.batch_key = l.id)
                                                        OR e.booking_legacy_id IS NOT NULL
                                                        OR EXISTS (SELECT 1 FROM {issued} it WHERE it.event_id = n.event_id AND it.booking_id = n.id)
                                                        OR EXISTS (SELECT 1 FROM {t}.payment_session p
                                                                    WHERE p.event_id = n.event_id AND p.booking_id = n.id
                                                                      AND p.status IN ('OPEN', 'PROCESSING') AND NOT {i}.webhook_can_name(p.legacy_id)))
                   AND NOT %s AND %s""".formatted(changedByApplication("booking", "n", "review_reason"), notDiscarded("Booking", "l.id")));
        // A booked seat costs the legacy seat's price; it is released when its booking is cancelled (by the application
        // too: its booking's status says so, booked seats are not audited).
        checks.put("booked_seat: price, created_at or released_at differ", """
                SELECT %s AS id
                  FROM public."Booking" l JOIN {t}.booking n ON n.legacy_id = l.id
                  JOIN {t}.booked_seat bs ON bs.event_id = n.event_id AND bs.booking_id = n.id
                  JOIN {t}.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                  LEFT JOIN public."Seat" ls ON ls.id = s.legacy_id
                  LEFT JOIN pg_temp.expired_unpaid e ON e.booking_legacy_id = l.id
                 WHERE (%s OR %s OR %s) AND %s AND %s""".formatted(ImportStep.pairKey("l.id", "coalesce(s.legacy_id, s.id::text)"),
                differs("bs.price", "ls.price"),
                differs("bs.created_at", "l.\"createdAt\" AT TIME ZONE 'UTC'"),
                differs("bs.released_at", importedTime("bs.released_at", "CASE WHEN e.booking_legacy_id IS NOT NULL THEN e.expired_at "
                        + "WHEN {i}.map_status('booking', l.status) = 'CANCELLED' THEN l.\"updatedAt\" AT TIME ZONE 'UTC' END"),
                        changedByApplication("booking", "n", "status")),
                notDiscarded("Booking", "l.id"), notDiscarded("Seat", "ls.id")));
        checks.put("PaymentSession: status, amount or booking differ", """
                SELECT l.id FROM public."PaymentSession" l JOIN {t}.payment_session n ON n.legacy_id = l.id
                  LEFT JOIN public."Booking" lb ON lb.id = l."bookingId"
                 WHERE (%s OR %s OR %s) AND %s""".formatted(
                differs("n.status::text", "{i}.checkout_status(l.status, lb.status, l.\"expiresAt\", {i}.import_started())",
                        changedByApplication("payment_session", "n", "status")),
                differs("n.amount", "l.amount"),
                differs("n.booking_id", "{i}.legacy_uuid('booking', l.\"bookingId\")", changedByApplication("payment_session", "n", "booking_id")),
                notDiscarded("PaymentSession", "l.id")));
        checks.put("PaymentSession: provider_ref or expires_at differ", """
                SELECT l.id FROM public."PaymentSession" l JOIN {t}.payment_session n ON n.legacy_id = l.id
                 WHERE (%s OR %s) AND %s""".formatted(
                differs("n.provider_ref", "l.\"providerRef\"", changedByApplication("payment_session", "n", "provider_ref")),
                differs("n.expires_at", "l.\"expiresAt\" AT TIME ZONE 'UTC'", changedByApplication("payment_session", "n", "expires_at")),
                notDiscarded("PaymentSession", "l.id")));
        checks.put("PaymentSession: customer, event or currency differ", """
                SELECT l.id FROM public."PaymentSession" l JOIN {t}.payment_session n ON n.legacy_id = l.id
                 WHERE (%s OR %s OR %s) AND %s""".formatted(differs("n.customer_id", "{i}.legacy_uuid('user', l.\"userId\")"),
                differs("n.event_id", "{i}.legacy_uuid('event', l.\"eventId\")"), differs("n.currency", "(SELECT currency FROM {i}.run)"),
                notDiscarded("PaymentSession", "l.id")));
        // A checkout's seat is released once the checkout is over (anything but OPEN or PROCESSING), by the application too.
        checks.put("payment_session_seat: created_at or released_at differ", """
                SELECT %s AS id FROM public."_PaymentSessionToSeat" l
                  JOIN public."PaymentSession" lp ON lp.id = l."A"
                  LEFT JOIN public."Booking" lb ON lb.id = lp."bookingId"
                  JOIN {t}.payment_session p ON p.legacy_id = l."A"
                  JOIN {t}.payment_session_seat n ON n.event_id = p.event_id AND n.payment_session_id = p.id
                                                 AND n.seat_id = {i}.legacy_uuid('seat', l."B")
                 WHERE (%s OR %s) AND %s AND %s""".formatted(legacyLink, differs("n.created_at", "lp.\"createdAt\" AT TIME ZONE 'UTC'"),
                differs("n.released_at", importedTime("n.released_at", "CASE WHEN {i}.checkout_status(lp.status, lb.status, "
                        + "lp.\"expiresAt\", {i}.import_started()) NOT IN ('OPEN', 'PROCESSING') THEN lp.\"updatedAt\" AT TIME ZONE 'UTC' END"),
                        changedByApplication("payment_session", "p", "status")),
                notDiscarded("PaymentSession", "l.\"A\""), notDiscarded("_PaymentSessionToSeat", "l.\"A\"")));
        checks.put("Ticket: status, code, booking, seat, customer or event differ", """
                SELECT l.id FROM public."Ticket" l JOIN {t}.ticket n ON n.legacy_id = l.id
                 WHERE (%s OR %s OR %s OR %s OR %s OR %s) AND %s""".formatted(
                differs("n.status::text", "{i}.map_status('ticket', l.status)", changedByApplication("ticket", "n", "status")),
                differs("n.code", "l.code"), differs("n.booking_id", "{i}.legacy_uuid('booking', l.\"bookingId\")"),
                differs("n.seat_id", "{i}.legacy_uuid('seat', l.\"seatId\")"), differs("n.customer_id", "{i}.legacy_uuid('user', l.\"userId\")"),
                differs("n.event_id", "{i}.legacy_uuid('event', l.\"eventId\")"), notDiscarded("Ticket", "l.id")));
        // Checked in when USED; the legacy tables keep no such time: the import takes the ticket's last update.
        checks.put("Ticket: checked_in_at differs", """
                SELECT l.id FROM public."Ticket" l JOIN {t}.ticket n ON n.legacy_id = l.id
                 WHERE %s AND %s""".formatted(differs("n.checked_in_at", importedTime("n.checked_in_at",
                "CASE WHEN {i}.map_status('ticket', l.status) = 'USED' THEN l.\"updatedAt\" AT TIME ZONE 'UTC' END"),
                changedByApplication("ticket", "n", "checked_in_at")), notDiscarded("Ticket", "l.id")));
        checks.put("created_at: differs from the legacy createdAt", String.join("\n UNION ALL ", TABLES.stream().map(t -> """
                SELECT '%1$s:' || l.id AS id FROM public.%2$s l JOIN {t}.%3$s n ON n.legacy_id = l.id
                 WHERE n.created_at IS DISTINCT FROM l."createdAt" AT TIME ZONE 'UTC'"""
                .formatted(t.legacy(), Jdbc.quoteIdent(t.legacy()), t.target(), t.kind())).toList()));
        checks.put("event_summary: differs from a recount (event_summary_drift)", "SELECT event_id::text AS id FROM {t}.event_summary_drift");
        // The import's last step recounts the summaries and refreshes the sales view; an import stopped after its cut-over
        // but before that step leaves the view as it was (empty after a first import) while every row compares equal.
        checks.put(SALES_VIEW_STALE, """
                SELECT 'event_sales_summary' AS id FROM {i}.run r
                 WHERE r.copied_at IS NOT NULL AND NOT EXISTS (SELECT FROM {t}.sales_summary_refresh s
                        WHERE s.refreshed_at >= greatest(r.copied_at, r.caught_up_at, r.cutover_at))""");
        // One difference per changed legacy row: each of its changes (an UPDATE logs two) is in the log.
        checks.put("catch-up: legacy changes not yet carried over", "SELECT DISTINCT table_name || ':' || legacy_id AS id FROM {i}.legacy_change");
        // The seat and claim rules the database guards at commit (V9), which the import's own transactions
        // skip between their batches: its end state must keep them all.
        SchemaInvariants.CHECKS.forEach((rule, sql) -> {
            if (!rule.equals(SchemaInvariants.SUMMARY_DRIFT)) {
                checks.put(SCHEMA_RULE + rule, sql);
            }
        });
        return checks;
    }
}
