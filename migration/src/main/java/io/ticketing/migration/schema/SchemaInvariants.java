package io.ticketing.migration.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What must hold in schema {@value SchemaMigrator#SCHEMA} at every commit, whatever the application
 * did: each check is one query that counts its violations, so every count must be 0. Plain SQL,
 * independent of the adapter that wrote the rows; the persistence tests and the load-and-fault
 * benchmark both run this one copy.
 */
public final class SchemaInvariants {

    /**
     * Name of the check (what a violation is) → a query returning one row per violation, its column
     * {@code id} naming the offending seat, checkout, booking, ticket or event.
     */
    public static final Map<String, String> CHECKS;

    /** The check of event_summary against a recount, which {@code maintain} reports in a section of its own. */
    public static final String SUMMARY_DRIFT = "an event summary that differs from a recount";

    static {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("a seat held by two checkouts", """
                SELECT 'seat ' || pss.seat_id || ' of event ' || pss.event_id AS id
                  FROM ticketing.payment_session_seat pss
                  JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
                 WHERE ps.status IN ('OPEN', 'PROCESSING')
                 GROUP BY pss.event_id, pss.seat_id HAVING count(*) > 1""");
        checks.put("a seat sold twice", """
                SELECT 'seat ' || bs.seat_id || ' of event ' || bs.event_id AS id
                  FROM ticketing.booked_seat bs
                  JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                 WHERE b.status IN ('PENDING', 'CONFIRMED')
                 GROUP BY bs.event_id, bs.seat_id HAVING count(*) > 1""");
        checks.put("two live tickets for one seat", """
                SELECT 'seat ' || t.seat_id || ' of event ' || t.event_id AS id FROM ticketing.ticket t WHERE t.status IN ('VALID', 'USED')
                 GROUP BY t.event_id, t.seat_id HAVING count(*) > 1""");
        // The rule of the seat guard (ticketing.assert_seat, V16), so that maintain reports what the guard refuses: a
        // claim counts while its row is active (released_at IS NULL), whatever its owner's status; the claims' own
        // agreement with their owners is the two checks after this one. RESERVED: held by a checkout, or claimed by a
        // pending booking (both at once while the payment is processed); BOOKED: claimed by a confirmed booking, nothing
        // else; AVAILABLE, BLOCKED: no active claim. At most one active claim of each kind per seat (unique indexes).
        // The active claims are read per seat first and joined by hash: a probe per seat by index costs five times as
        // much at a million seats.
        checks.put("a seat whose status disagrees with its claims", """
                SELECT 'seat ' || s.id || ' of event ' || s.event_id || ' (' || s.status || ')' AS id
                  FROM ticketing.seat s
                  LEFT JOIN (SELECT DISTINCT pss.event_id, pss.seat_id
                               FROM ticketing.payment_session_seat pss
                              WHERE pss.released_at IS NULL) h ON h.event_id = s.event_id AND h.seat_id = s.id
                  LEFT JOIN (SELECT bs.event_id, bs.seat_id, b.status::text AS status
                               FROM ticketing.booked_seat bs
                               JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                              WHERE bs.released_at IS NULL) b ON b.event_id = s.event_id AND b.seat_id = s.id
                 CROSS JOIN LATERAL (SELECT h.seat_id IS NOT NULL AS held, coalesce(b.status, 'NONE') AS booking) c
                 WHERE (s.status IN ('AVAILABLE', 'BLOCKED') AND (c.held OR c.booking <> 'NONE'))
                    OR (s.status = 'RESERVED' AND (c.booking = 'CONFIRMED' OR NOT (c.held OR c.booking = 'PENDING')))
                    OR (s.status = 'BOOKED' AND (c.held OR c.booking <> 'CONFIRMED'))""");
        // V25: both claims at once are one purchase, the checkout's booking (as a migrated checkout names it) or the booking's checkout.
        checks.put("a seat held by a checkout and claimed by a pending booking of another purchase", """
                SELECT 'seat ' || pss.seat_id || ' of event ' || pss.event_id || ', checkout ' || ps.id || ', booking ' || b.id AS id
                  FROM ticketing.payment_session_seat pss
                  JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
                  JOIN ticketing.booked_seat bs ON bs.event_id = pss.event_id AND bs.seat_id = pss.seat_id AND bs.released_at IS NULL
                  JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                 WHERE pss.released_at IS NULL AND b.status = 'PENDING'
                   AND ps.booking_id IS DISTINCT FROM b.id AND b.payment_session_id IS DISTINCT FROM ps.id""");
        checks.put("a checkout's claims active although it no longer holds seats, or the reverse", """
                SELECT 'checkout ' || ps.id || ' (' || ps.status || '), seat ' || pss.seat_id AS id
                  FROM ticketing.payment_session_seat pss
                  JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
                 WHERE (pss.released_at IS NULL) <> (ps.status IN ('OPEN', 'PROCESSING'))""");
        checks.put("a booking's claims active although it is cancelled, or the reverse", """
                SELECT 'booking ' || b.id || ' (' || b.status || '), seat ' || bs.seat_id AS id
                  FROM ticketing.booked_seat bs
                  JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                 WHERE (bs.released_at IS NULL) <> (b.status <> 'CANCELLED')""");
        checks.put("a confirmed booking's seat without a live ticket", """
                SELECT 'booking ' || b.id || ', seat ' || bs.seat_id AS id
                  FROM ticketing.booked_seat bs
                  JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                 WHERE b.status = 'CONFIRMED' AND bs.released_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM ticketing.ticket t
                                    WHERE t.event_id = bs.event_id AND t.booking_id = bs.booking_id AND t.seat_id = bs.seat_id
                                      AND t.status IN ('VALID', 'USED'))""");
        // A USED ticket is history (the holder came in) and stays when its booking is cancelled afterwards.
        checks.put("a valid ticket on a seat not sold to its confirmed booking", """
                SELECT 'ticket ' || t.id || ' (' || t.status || ')' AS id
                  FROM ticketing.ticket t
                 WHERE t.status = 'VALID'
                   AND NOT EXISTS (SELECT 1 FROM ticketing.booked_seat bs
                                     JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                                    WHERE bs.event_id = t.event_id AND bs.booking_id = t.booking_id AND bs.seat_id = t.seat_id
                                      AND bs.released_at IS NULL AND b.status = 'CONFIRMED')""");
        // A live ticket holds its seat in ticket_live_seat_key: on a seat for sale (AVAILABLE, or RESERVED for a checkout
        // or a pending booking) it makes the next buyer's ticket a duplicate, after they paid. A USED ticket outlives its
        // booking's cancellation only on a seat taken off sale (BLOCKED, as an event's cancellation leaves them).
        checks.put("a seat for sale that a live ticket of another booking holds", """
                SELECT 'seat ' || s.id || ' of event ' || s.event_id || ' (' || s.status || '), ticket ' || t.id || ' (' || t.status || ')' AS id
                  FROM ticketing.ticket t
                  JOIN ticketing.seat s ON s.event_id = t.event_id AND s.id = t.seat_id
                 WHERE t.status IN ('VALID', 'USED') AND s.status IN ('AVAILABLE', 'RESERVED')
                   AND NOT EXISTS (SELECT 1 FROM ticketing.booked_seat bs
                                    WHERE bs.event_id = t.event_id AND bs.booking_id = t.booking_id AND bs.seat_id = t.seat_id
                                      AND bs.released_at IS NULL)""");
        // V19: a checked-in ticket outlives its booking's cancellation, but only of a booking that was paid.
        checks.put("a used ticket of a booking that was never paid", """
                SELECT 'ticket ' || t.id || ' (' || t.status || ')' AS id
                  FROM ticketing.ticket t
                  JOIN ticketing.booking b ON b.event_id = t.event_id AND b.id = t.booking_id
                 WHERE t.status = 'USED' AND b.confirmed_at IS NULL""");
        checks.put(SUMMARY_DRIFT, "SELECT 'event ' || event_id AS id FROM ticketing.event_summary_drift");
        CHECKS = Collections.unmodifiableMap(checks);
    }

    private SchemaInvariants() {
    }

    /**
     * Rows whose foreign key finds no parent, per foreign key constraint of the schema that has
     * any: always empty where the constraints were enforced, and the set-based check of a copy
     * that ran with triggers off ({@code session_replication_role = replica}).
     */
    public static Map<String, Long> foreignKeyOrphans(Connection connection) throws SQLException {
        Map<String, Long> orphans = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> key : foreignKeyOrphanCounts(connection).entrySet()) {
                try (ResultSet result = statement.executeQuery(key.getValue())) {
                    result.next();
                    if (result.getLong(1) > 0) {
                        orphans.put(key.getKey(), result.getLong(1));
                    }
                }
            }
        }
        return orphans;
    }

    /**
     * The queries behind {@link #foreignKeyOrphans}: per foreign key constraint of the schema, one
     * that counts its orphans (independent of each other, for callers that run them side by side).
     */
    public static Map<String, String> foreignKeyOrphanCounts(Connection connection) throws SQLException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (ForeignKey key : foreignKeys(connection)) {
            queries.put(key.name(), "SELECT count(*) FROM " + key.orphans());
        }
        return queries;
    }

    /**
     * One query yielding a row per orphan of every foreign key constraint of the schema, its {@code id}
     * naming the constraint and the key that finds no parent ({@code booked_seat_booking_fkey: <event>/<booking>}).
     */
    public static String foreignKeyOrphanRows(Connection connection) throws SQLException {
        List<String> queries = new ArrayList<>();
        for (ForeignKey key : foreignKeys(connection)) {
            queries.add("SELECT '" + key.name().replace("'", "''") + ": ' || concat_ws('/', " + String.join(", ", key.childColumns().stream()
                    .map(column -> "c." + column).toList()) + ") AS id FROM " + key.orphans());
        }
        return queries.isEmpty() ? "SELECT NULL::text AS id WHERE false" : String.join("\nUNION ALL ", queries);
    }

    /** A foreign key constraint: its child table's columns (quoted), and the FROM … WHERE … finding its orphans as c. */
    private record ForeignKey(String name, List<String> childColumns, String orphans) {
    }

    private static List<ForeignKey> foreignKeys(Connection connection) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT c.conname,
                            array_agg(quote_ident(ca.attname::text) ORDER BY k.i) AS child_columns,
                            format('%s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
                                   c.conrelid::regclass, string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND ' ORDER BY k.i),
                                   c.confrelid::regclass, string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ' ORDER BY k.i))
                       FROM pg_constraint c
                      CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (child, parent, i)
                       JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child
                       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent
                      WHERE c.contype = 'f' AND c.connamespace = 'ticketing'::regnamespace
                      GROUP BY c.oid, c.conname, c.conrelid, c.confrelid
                      ORDER BY c.conname""")) {
            while (rows.next()) {
                keys.add(new ForeignKey(rows.getString(1), List.of((String[]) rows.getArray(2).getArray()), rows.getString(3)));
            }
        }
        return keys;
    }

    /** The number of violations of each check, in the order of {@link #CHECKS}; all 0 when the schema is sound. */
    public static Map<String, Long> count(Connection connection) throws SQLException {
        Map<String, Long> violations = new LinkedHashMap<>();
        for (Violations found : find(connection, 0)) {
            violations.put(found.check(), found.count());
        }
        return violations;
    }

    /** What a check found: how many violations, and the first few of them. */
    public record Violations(String check, long count, List<String> examples) {
    }

    /** Each check's violations, in the order of {@link #CHECKS}, with up to {@code examples} of each. */
    public static List<Violations> find(Connection connection, int examples) throws SQLException {
        List<Violations> found = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> check : CHECKS.entrySet()) {
                long count;
                try (ResultSet result = statement.executeQuery("SELECT count(*) FROM (" + check.getValue() + ") v")) {
                    result.next();
                    count = result.getLong(1);
                }
                List<String> ids = new ArrayList<>();
                if (count > 0 && examples > 0) {
                    try (ResultSet result = statement.executeQuery(
                            "SELECT id FROM (" + check.getValue() + ") v ORDER BY id LIMIT " + examples)) {
                        while (result.next()) {
                            ids.add(result.getString(1));
                        }
                    }
                }
                found.add(new Violations(check.getKey(), count, List.copyOf(ids)));
            }
        }
        return found;
    }
}
