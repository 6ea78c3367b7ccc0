package io.ticketing.migration.legacy;

import io.ticketing.domain.model.VisibleText;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import did (or, from {@code plan}, would do): per legacy table, rows migrated and
 * quarantined, which must add up to the legacy rows; and every anomaly by kind with a count and
 * up to three example legacy ids. Kinds are "Table: what" — the quarantine reasons, and the dirt
 * the import repaired (statuses spelled differently or by a synonym, double-encoded JSON,
 * duplicate seat ids, non-UUID ids, seat statuses that disagreed with their claims).
 */
public record ImportReport(List<TableCount> tables, Map<String, Anomaly> anomalies, Map<String, Anomaly> quarantined) {

    /**
     * One legacy table. {@code pending}: its rows that the legacy app changed after the last
     * catch-up (after the cut-over, or during a copy without catch-up); they are left out of the
     * other counts, since the next {@code import} carries them over.
     */
    public record TableCount(String table, long legacy, long migrated, long quarantined, long pending) {
        public long unaccounted() {
            return legacy - migrated - quarantined;
        }
    }

    public long pending() {
        return tables.stream().mapToLong(TableCount::pending).sum();
    }

    public record Anomaly(long count, List<String> examples) {
    }

    /** Kind → count, for tests and comparisons. */
    public Map<String, Long> anomalyCounts() {
        Map<String, Long> counts = new TreeMap<>();
        anomalies.forEach((kind, anomaly) -> counts.put(kind, anomaly.count()));
        return counts;
    }

    public TableCount table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no legacy table " + name));
    }

    public boolean addsUp() {
        return tables.stream().allMatch(t -> t.unaccounted() == 0);
    }

    static ImportReport compute(Connection connection, String target, String importSchema) throws SQLException {
        return compute(List.of(connection), target, importSchema);
    }

    /**
     * The report, its queries shared among {@code connections}: each scans a whole table and
     * none depends on another, so two connections take about half the time.
     */
    static ImportReport compute(List<Connection> connections, String target, String importSchema) throws SQLException {
        List<String> queries = new ArrayList<>();
        for (String table : ImportStep.LEGACY_TABLES) {
            queries.add(COUNTS.get(table).replace("{t}", target).replace("{i}", importSchema)
                    .replace("{changed}", changeLogTables(table))
                    .replace("{table}", table).replace("{legacy}", "public." + Jdbc.quoteIdent(table)));
        }
        queries.add("SELECT table_name || ': ' || reason AS kind, count(*) AS n, "
                + "(array_agg(legacy_id ORDER BY legacy_id))[1:3] AS examples FROM " + importSchema + ".quarantine GROUP BY 1");
        for (String sql : repairedDirt(target, importSchema)) {
            queries.add("SELECT kind, count(*) AS n, (array_agg(id ORDER BY id))[1:3] AS examples "
                    + "FROM (" + sql + ") d WHERE kind IS NOT NULL GROUP BY kind");
        }
        List<List<Map<String, Object>>> results = Parallel.shared(connections, queries, Jdbc::query);

        List<TableCount> tables = new ArrayList<>();
        for (int k = 0; k < ImportStep.LEGACY_TABLES.size(); k++) {
            Map<String, Object> row = results.get(k).get(0);
            tables.add(new TableCount(ImportStep.LEGACY_TABLES.get(k), ((Number) row.get("legacy")).longValue(),
                    ((Number) row.get("migrated")).longValue(), ((Number) row.get("quarantined")).longValue(),
                    ((Number) row.get("pending")).longValue()));
        }
        Map<String, Anomaly> quarantined = new TreeMap<>();
        for (Map<String, Object> row : results.get(tables.size())) {
            quarantined.put((String) row.get("kind"), anomaly(row));
        }
        Map<String, Anomaly> anomalies = new TreeMap<>(quarantined);
        for (List<Map<String, Object>> rows : results.subList(tables.size() + 1, results.size())) {
            for (Map<String, Object> row : rows) {
                anomalies.put((String) row.get("kind"), anomaly(row));
            }
        }
        // Rare (a legacy foreign key dropped, a row pointing nowhere the import has no rule for): named only then, as verify names them.
        for (TableCount table : tables) {
            if (table.unaccounted() != 0) {
                for (Map<String, Object> row : Jdbc.query(connections.get(0), unaccounted(table.table(), target, importSchema))) {
                    anomalies.put((String) row.get("kind"), anomaly(row));
                }
            }
        }
        return new ImportReport(List.copyOf(tables), anomalies, quarantined);
    }

    /**
     * Per legacy table: its rows, those migrated, those quarantined, each without the rows that
     * wait in the change log ({changed}: the change-log tables naming the row's key), and those.
     */
    private static final Map<String, String> COUNTS = Map.of(
            "User", counts("l.id", "SELECT n.legacy_id AS k FROM {t}.customer n WHERE n.legacy_id IS NOT NULL", "q.legacy_id"),
            "Event", counts("l.id", "SELECT n.legacy_id AS k FROM {t}.event n WHERE n.legacy_id IS NOT NULL", "q.legacy_id"),
            "Seat", counts("l.id", "SELECT n.legacy_id AS k FROM {t}.seat n WHERE n.legacy_id IS NOT NULL", "q.legacy_id"),
            "Booking", counts("l.id", "SELECT n.legacy_id AS k FROM {t}.booking n WHERE n.legacy_id IS NOT NULL", "q.legacy_id"),
            "PaymentSession", counts("l.id", "SELECT n.legacy_id AS k FROM {t}.payment_session n WHERE n.legacy_id IS NOT NULL", "q.legacy_id"),
            "_PaymentSessionToSeat", counts("l.\"A\"", """
                    SELECT p.legacy_id AS k FROM {t}.payment_session_seat ps
                      JOIN {t}.payment_session p ON p.event_id = ps.event_id AND p.id = ps.payment_session_id
                      JOIN {t}.seat s ON s.event_id = ps.event_id AND s.id = ps.seat_id
                     WHERE p.legacy_id IS NOT NULL AND s.legacy_id IS NOT NULL""", "q.batch_key"),
            "Ticket", counts("l.id", "SELECT n.legacy_id AS k FROM {t}.ticket n WHERE n.legacy_id IS NOT NULL", "q.legacy_id"));

    private static String counts(String legacyKey, String migratedKeys, String quarantineKey) {
        String waiting = "EXISTS (SELECT 1 FROM {i}.legacy_change c WHERE c.table_name IN {changed} AND c.legacy_id = %s)";
        return """
                SELECT (SELECT count(*) FROM {legacy} l WHERE NOT %1$s) AS legacy,
                       (SELECT count(*) FROM (%2$s) m WHERE NOT %3$s) AS migrated,
                       (SELECT count(*) FROM {i}.quarantine q WHERE q.table_name = '{table}' AND NOT %4$s) AS quarantined,
                       (SELECT count(DISTINCT c.legacy_id) FROM {i}.legacy_change c WHERE c.table_name IN {changed}) AS pending
                """.formatted(waiting.formatted(legacyKey), migratedKeys, waiting.formatted("m.k"), waiting.formatted(quarantineKey));
    }

    /**
     * The rows of a legacy table that are neither migrated nor quarantined nor waiting in the change log, as
     * {@code "Table: neither migrated nor quarantined"} with their count and examples (none when there are none).
     */
    private static String unaccounted(String table, String target, String importSchema) {
        boolean link = table.equals("_PaymentSessionToSeat");
        String migrated = link ? """
                EXISTS (SELECT 1 FROM {t}.payment_session_seat ps
                          JOIN {t}.payment_session p ON p.event_id = ps.event_id AND p.id = ps.payment_session_id
                          JOIN {t}.seat s ON s.event_id = ps.event_id AND s.id = ps.seat_id
                         WHERE p.legacy_id = l."A" AND s.legacy_id = l."B")"""
                : "EXISTS (SELECT 1 FROM {t}." + WITH_IDS.stream().filter(t -> t.get(0).equals(table)).findFirst().orElseThrow().get(1)
                        + " n WHERE n.legacy_id = l.id)";
        String quarantined = link ? "EXISTS (SELECT 1 FROM {i}.quarantine q WHERE q.table_name = '{table}' AND q.batch_key = l.\"A\" AND q.payload ->> 'B' = l.\"B\")"
                : "EXISTS (SELECT 1 FROM {i}.quarantine q WHERE q.table_name = '{table}' AND q.legacy_id = l.id)";
        String key = link ? "l.\"A\"" : "l.id";
        return """
                SELECT '{table}: neither migrated nor quarantined' AS kind, count(*) AS n, (array_agg(id ORDER BY id))[1:3] AS examples
                  FROM (SELECT %s AS id FROM public.%s l
                         WHERE NOT %s AND NOT %s
                           AND NOT EXISTS (SELECT 1 FROM {i}.legacy_change c WHERE c.table_name IN {changed} AND c.legacy_id = %s)) u
                HAVING count(*) > 0""".formatted(link ? ImportStep.pairKey("l.\"A\"", "l.\"B\"") : "l.id", Jdbc.quoteIdent(table),
                        migrated, quarantined, key)
                .replace("{t}", target).replace("{i}", importSchema).replace("{table}", table)
                .replace("{changed}", changeLogTables(table));
    }

    /** The change-log tables that name a row of {@code table} by its key: a checkout's seat links by the checkout's. */
    private static String changeLogTables(String table) {
        return table.equals("_PaymentSessionToSeat") ? "('_PaymentSessionToSeat', 'PaymentSession')" : "('" + table + "')";
    }

    private static Anomaly anomaly(Map<String, Object> row) throws SQLException {
        Object[] examples = (Object[]) ((Array) row.get("examples")).getArray();
        return new Anomaly(((Number) row.get("n")).longValue(), Arrays.stream(examples).map(String::valueOf).toList());
    }

    /** The legacy tables whose rows have an id of their own, and the tables they are migrated to. */
    private static final List<List<String>> WITH_IDS = List.of(List.of("User", "customer"), List.of("Event", "event"),
            List.of("Seat", "seat"), List.of("Booking", "booking"), List.of("PaymentSession", "payment_session"), List.of("Ticket", "ticket"));

    /** Queries yielding (kind, id) for the dirt the import repairs rather than quarantines. */
    private static List<String> repairedDirt(String target, String i) {
        List<String> queries = new ArrayList<>();
        for (StatusVocabulary vocabulary : StatusVocabulary.values()) {
            String spellings = "ARRAY['" + String.join("','", vocabulary.legacySpellings()) + "']";
            // The legacy app's own spellings, nearly every row, are set aside by plain comparisons before the
            // vocabulary is looked up: the lookup cost ten times more over a million seats.
            queries.add("""
                    SELECT CASE WHEN %2$s.map_status('%3$s', status) IS NULL THEN NULL
                                WHEN %2$s.norm_status(status) = ANY(SELECT lower(x) FROM unnest(%4$s) x)
                                THEN '%1$s: status in another case or with spaces'
                                ELSE '%1$s: status synonym' END AS kind, id
                      FROM public.%5$s WHERE status <> ALL(%4$s)""".formatted(vocabulary.legacyTable(), i, vocabulary.kind(), spellings,
                    Jdbc.quoteIdent(vocabulary.legacyTable())));
        }
        // A migrated row kept a legacy id that is a UUID as its id, and was given another for any other legacy id:
        // comparing the two costs a third of the regular expression that tells a UUID.
        for (List<String> tables : WITH_IDS) {
            queries.add("""
                    SELECT '%1$s: non-UUID id' AS kind, legacy_id AS id FROM %2$s.%3$s WHERE legacy_id IS NOT NULL AND id::text <> legacy_id
                    UNION ALL
                    SELECT '%1$s: non-UUID id', legacy_id FROM %4$s.quarantine WHERE table_name = '%1$s' AND NOT %4$s.is_uuid(legacy_id)"""
                    .formatted(tables.get(0), target, tables.get(1), i));
        }
        // A time the import cannot have read yet (the legacy app's clock ahead, or a far date): it stored its own (ImportStep).
        queries.add(String.join("\nUNION ALL\n", WITH_IDS.stream().map(tables -> """
                SELECT '%1$s: updatedAt in the future, stored as the time of the import' AS kind, l.id FROM public.%2$s l
                 WHERE l."updatedAt" AT TIME ZONE 'UTC' > now() AND EXISTS (SELECT 1 FROM %3$s.%4$s n WHERE n.legacy_id = l.id)"""
                .formatted(tables.get(0), Jdbc.quoteIdent(tables.get(0)), target, tables.get(1))).toList()));
        queries.add("""
                SELECT k.kind, b.id
                  FROM public."Booking" b CROSS JOIN LATERAL %1$s.decode_seats(b.seats) d
                 CROSS JOIN LATERAL (VALUES (CASE WHEN d.problem IS NULL AND d.double_encoded THEN 'Booking: double-encoded JSON' END),
                                            (CASE WHEN d.problem IS NULL AND cardinality(d.ids) > (SELECT count(DISTINCT x) FROM unnest(d.ids) x)
                                                  THEN 'Booking: duplicate seat ids' END)) k (kind)""".formatted(i));
        queries.add("SELECT 'User: email in upper case or with spaces, stored in lower case' AS kind, id FROM public.\"User\" "
                + "WHERE email <> " + i + ".normal_email(email)");
        queries.add("""
                SELECT 'Booking: migrated without its quarantined seats, marked for review' AS kind, legacy_id AS id
                  FROM %1$s.booking WHERE strpos(review_reason, ' seats quarantined: ') > 0""".formatted(target));
        queries.add("""
                SELECT 'Booking: pending, its checkout expired before the import unpaid: cancelled, seats released, marked for review' AS kind,
                       legacy_id AS id
                  FROM %1$s.booking WHERE strpos(review_reason, 'checkout expired before the import without a payment result') > 0"""
                .formatted(target));
        queries.add("""
                SELECT 'PaymentSession: running, with an id the payment webhook cannot name; its booking, if any, marked for review' AS kind,
                       legacy_id AS id
                  FROM %1$s.payment_session WHERE status IN ('OPEN', 'PROCESSING') AND NOT %2$s.webhook_can_name(legacy_id)""".formatted(target, i));
        queries.add("""
                SELECT 'Booking: seat without a valid legacy ticket, ticket issued, marked for review' AS kind, %3$s AS id
                  FROM %2$s.issued_ticket it
                  JOIN %1$s.booking b ON b.event_id = it.event_id AND b.id = it.booking_id
                  JOIN %1$s.seat s ON s.event_id = it.event_id AND s.id = it.seat_id""".formatted(target, i,
                ImportStep.pairKey("b.legacy_id", "s.legacy_id")));
        // Migrated as they are; this application's own cancellation would have ended them (maintain reports them too).
        queries.add("""
                SELECT 'Event: cancelled, with live bookings or running checkouts: `cancel-event` ends them and refunds the paid ones' AS kind,
                       e.legacy_id AS id
                  FROM %1$s.event e
                 WHERE e.status = 'CANCELLED' AND e.legacy_id IS NOT NULL
                   AND (EXISTS (SELECT 1 FROM %1$s.booking b WHERE b.event_id = e.id AND b.status <> 'CANCELLED')
                        OR EXISTS (SELECT 1 FROM %1$s.payment_session p WHERE p.event_id = e.id AND p.status IN ('OPEN', 'PROCESSING')))"""
                .formatted(target));
        queries.add("""
                SELECT 'Seat: status corrected to agree with claims' AS kind, ls.id
                  FROM %1$s.seat st JOIN public."Seat" ls ON ls.id = st.legacy_id
                 WHERE %2$s.map_status('seat', ls.status) <> st.status::text""".formatted(target, i));
        return queries;
    }

    public void print(PrintStream out) {
        out.println();
        out.printf("%-22s %10s %10s %12s %12s %10s%n", "legacy table", "legacy", "migrated", "quarantined", "unaccounted", "pending");
        for (TableCount t : tables) {
            out.printf("%-22s %10d %10d %12d %12d %10d%n", t.table(), t.legacy(), t.migrated(), t.quarantined(), t.unaccounted(), t.pending());
        }
        if (pending() > 0) {
            out.println("pending: legacy rows the legacy app changed after the last catch-up, counted in no other column; "
                    + "run `legacy import` again to carry them over (it only catches up)");
        }
        out.println();
        out.printf("%-55s %8s  %s%n", "anomaly", "rows", "examples (legacy ids)");
        anomalies.forEach((kind, anomaly) -> out.printf("%-55s %8d  %s%s%n", kind, anomaly.count(),
                shown(anomaly.examples()), quarantined.containsKey(kind) ? "  [quarantined]" : ""));
    }

    /**
     * Example ids as the operator reads them: one longer than a line (a legacy id may be kilobytes) by its start, its end
     * (a pair's second id, {@code checkout/seat}) and its size and digest, as the quarantine finds it
     * ({@code md5(legacy_id) LIKE '1a2b3c4d%'}), so that two that start alike read as two; one that would not read as
     * itself in a list (empty, a space or another character that shows nothing, a comma, a quote) in double quotes,
     * what shows nothing but a plain space escaped by its code point ({@code "pay\\u200bsession"}).
     */
    static String shown(List<String> ids) {
        return String.join(", ", ids.stream().map(id -> id.codePointCount(0, id.length()) <= 64 ? readable(id)
                : readable(id.substring(0, id.offsetByCodePoints(0, 24))) + "…" + readable(id.substring(id.offsetByCodePoints(id.length(), -24)))
                        + " (" + id.getBytes(StandardCharsets.UTF_8).length + " bytes; md5 " + md5(id).substring(0, 8) + ")").toList());
    }

    private static String md5(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
    }

    private static String readable(String id) {
        if (!id.isEmpty() && id.codePoints().noneMatch(c -> VisibleText.showsNothing(c) || c == ',' || c == '"')) {
            return id;
        }
        StringBuilder quoted = new StringBuilder("\"");
        id.codePoints().forEach(c -> quoted.append(c == '"' || c == '\\' ? "\\" + (char) c
                : c != ' ' && VisibleText.showsNothing(c) ? (c > 0xFFFF ? "\\u{%X}" : "\\u%04x").formatted(c) : Character.toString(c)));
        return quoted.append('"').toString();
    }
}
