package io.ticketing.migration.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What must hold in schema {@value SchemaMigrator#SCHEMA} at every commit, whatever the application
 * did: each check is one query that counts its violations, so every count must be 0. Plain SQL,
 * independent of the adapter that wrote the rows; the persistence tests and the load-and-fault
 * benchmark both run this one copy.
 */
public final class SchemaInvariants {

    /** Name of the check (what a violation is) → a query returning the number of violations. */
    public static final Map<String, String> CHECKS;

    static {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("a seat held by two checkouts", """
                SELECT count(*) FROM (
                    SELECT pss.seat_id
                      FROM ticketing.payment_session_seat pss
                      JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
                     WHERE ps.status IN ('OPEN', 'PROCESSING')
                     GROUP BY pss.event_id, pss.seat_id HAVING count(*) > 1) twice""");
        checks.put("a seat sold twice", """
                SELECT count(*) FROM (
                    SELECT bs.seat_id
                      FROM ticketing.booked_seat bs
                      JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                     WHERE b.status IN ('PENDING', 'CONFIRMED')
                     GROUP BY bs.event_id, bs.seat_id HAVING count(*) > 1) twice""");
        checks.put("two live tickets for one seat", """
                SELECT count(*) FROM (
                    SELECT t.seat_id FROM ticketing.ticket t WHERE t.status IN ('VALID', 'USED')
                     GROUP BY t.event_id, t.seat_id HAVING count(*) > 1) twice""");
        // RESERVED: held by one open or processing checkout, or by the pending booking a processing checkout made
        // (both at once while the payment is processed); BOOKED: sold to one confirmed booking, nothing else.
        checks.put("a seat whose status disagrees with its claims", """
                SELECT count(*)
                  FROM ticketing.seat s
                 CROSS JOIN LATERAL (
                       SELECT count(*) AS n
                         FROM ticketing.payment_session_seat pss
                         JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
                        WHERE pss.event_id = s.event_id AND pss.seat_id = s.id AND ps.status IN ('OPEN', 'PROCESSING')) held
                 CROSS JOIN LATERAL (
                       SELECT count(*) FILTER (WHERE b.status = 'PENDING') AS pending, count(*) FILTER (WHERE b.status = 'CONFIRMED') AS sold
                         FROM ticketing.booked_seat bs
                         JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                        WHERE bs.event_id = s.event_id AND bs.seat_id = s.id) claims
                 WHERE NOT ((s.status IN ('AVAILABLE', 'BLOCKED') AND held.n = 0 AND claims.pending = 0 AND claims.sold = 0)
                         OR (s.status = 'RESERVED' AND held.n <= 1 AND claims.pending <= 1 AND held.n + claims.pending >= 1
                             AND claims.sold = 0)
                         OR (s.status = 'BOOKED' AND held.n = 0 AND claims.pending = 0 AND claims.sold = 1))""");
        checks.put("a checkout's claims active although it no longer holds seats, or the reverse", """
                SELECT count(*)
                  FROM ticketing.payment_session_seat pss
                  JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
                 WHERE (pss.released_at IS NULL) <> (ps.status IN ('OPEN', 'PROCESSING'))""");
        checks.put("a booking's claims active although it is cancelled, or the reverse", """
                SELECT count(*)
                  FROM ticketing.booked_seat bs
                  JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                 WHERE (bs.released_at IS NULL) <> (b.status <> 'CANCELLED')""");
        checks.put("an event summary that differs from a recount", "SELECT count(*) FROM ticketing.event_summary_drift");
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
        Map<String, String> queries = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet keys = statement.executeQuery("""
                     SELECT c.conname,
                            format('SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
                                   c.conrelid::regclass, string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND ' ORDER BY k.i),
                                   c.confrelid::regclass, string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ' ORDER BY k.i))
                       FROM pg_constraint c
                      CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (child, parent, i)
                       JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child
                       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent
                      WHERE c.contype = 'f' AND c.connamespace = 'ticketing'::regnamespace
                      GROUP BY c.oid, c.conname, c.conrelid, c.confrelid
                      ORDER BY c.conname""")) {
            while (keys.next()) {
                queries.put(keys.getString(1), keys.getString(2));
            }
        }
        Map<String, Long> orphans = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> key : queries.entrySet()) {
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

    /** The number of violations of each check, in the order of {@link #CHECKS}; all 0 when the schema is sound. */
    public static Map<String, Long> count(Connection connection) throws SQLException {
        Map<String, Long> violations = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> check : CHECKS.entrySet()) {
                try (ResultSet result = statement.executeQuery(check.getValue())) {
                    result.next();
                    violations.put(check.getKey(), result.getLong(1));
                }
            }
        }
        return violations;
    }
}
