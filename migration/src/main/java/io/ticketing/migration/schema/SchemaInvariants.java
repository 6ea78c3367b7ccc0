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
        checks.put("a seat whose status disagrees with its claims", """
                SELECT count(*)
                  FROM ticketing.seat s
                 CROSS JOIN LATERAL (
                       SELECT count(*) AS n
                         FROM ticketing.payment_session_seat pss
                         JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
                        WHERE pss.event_id = s.event_id AND pss.seat_id = s.id AND ps.status = 'OPEN') held
                 CROSS JOIN LATERAL (
                       SELECT count(*) AS n
                         FROM ticketing.booked_seat bs
                         JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                        WHERE bs.event_id = s.event_id AND bs.seat_id = s.id AND b.status = 'CONFIRMED') sold
                 WHERE NOT ((s.status = 'AVAILABLE' AND held.n = 0 AND sold.n = 0)
                         OR (s.status = 'RESERVED' AND held.n = 1 AND sold.n = 0)
                         OR (s.status = 'BOOKED' AND held.n = 0 AND sold.n = 1)
                         OR (s.status = 'BLOCKED' AND held.n = 0 AND sold.n = 0))""");
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
