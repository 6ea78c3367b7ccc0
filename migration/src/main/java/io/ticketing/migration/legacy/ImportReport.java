package io.ticketing.migration.legacy;

import java.io.PrintStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

    public record TableCount(String table, long legacy, long migrated, long quarantined) {
        public long unaccounted() {
            return legacy - migrated - quarantined;
        }
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
        List<TableCount> tables = new ArrayList<>();
        Map<String, String> migrated = new LinkedHashMap<>();
        migrated.put("User", "SELECT count(*) FROM {t}.customer WHERE legacy_id IS NOT NULL");
        migrated.put("Event", "SELECT count(*) FROM {t}.event WHERE legacy_id IS NOT NULL");
        migrated.put("Seat", "SELECT count(*) FROM {t}.seat WHERE legacy_id IS NOT NULL");
        migrated.put("Booking", "SELECT count(*) FROM {t}.booking WHERE legacy_id IS NOT NULL");
        migrated.put("PaymentSession", "SELECT count(*) FROM {t}.payment_session WHERE legacy_id IS NOT NULL");
        migrated.put("_PaymentSessionToSeat", """
                SELECT count(*) FROM {t}.payment_session_seat ps
                  JOIN {t}.payment_session p ON p.event_id = ps.event_id AND p.id = ps.payment_session_id
                  JOIN {t}.seat s ON s.event_id = ps.event_id AND s.id = ps.seat_id
                 WHERE p.legacy_id IS NOT NULL AND s.legacy_id IS NOT NULL""");
        migrated.put("Ticket", "SELECT count(*) FROM {t}.ticket WHERE legacy_id IS NOT NULL");
        Map<String, Long> quarantinedByTable = new LinkedHashMap<>();
        for (Map<String, Object> row : Jdbc.query(connection,
                "SELECT table_name, count(*) AS n FROM " + importSchema + ".quarantine GROUP BY table_name")) {
            quarantinedByTable.put((String) row.get("table_name"), ((Number) row.get("n")).longValue());
        }
        for (var entry : migrated.entrySet()) {
            long legacy = Jdbc.count(connection, "SELECT count(*) FROM public." + Jdbc.quoteIdent(entry.getKey()));
            long moved = Jdbc.count(connection, entry.getValue().replace("{t}", target));
            tables.add(new TableCount(entry.getKey(), legacy, moved, quarantinedByTable.getOrDefault(entry.getKey(), 0L)));
        }

        Map<String, Anomaly> quarantined = new TreeMap<>();
        for (Map<String, Object> row : Jdbc.query(connection, "SELECT table_name || ': ' || reason AS kind, count(*) AS n, "
                + "(array_agg(legacy_id ORDER BY legacy_id))[1:3] AS examples FROM " + importSchema + ".quarantine GROUP BY 1")) {
            quarantined.put((String) row.get("kind"), anomaly(row));
        }
        Map<String, Anomaly> anomalies = new TreeMap<>(quarantined);
        for (String sql : repairedDirt(target, importSchema)) {
            for (Map<String, Object> row : Jdbc.query(connection, "SELECT kind, count(*) AS n, (array_agg(id ORDER BY id))[1:3] AS examples "
                    + "FROM (" + sql + ") d WHERE kind IS NOT NULL GROUP BY kind")) {
                anomalies.put((String) row.get("kind"), anomaly(row));
            }
        }
        return new ImportReport(List.copyOf(tables), anomalies, quarantined);
    }

    private static Anomaly anomaly(Map<String, Object> row) throws SQLException {
        Object[] examples = (Object[]) ((Array) row.get("examples")).getArray();
        return new Anomaly(((Number) row.get("n")).longValue(), Arrays.stream(examples).map(String::valueOf).toList());
    }

    /** Queries yielding (kind, id) for the dirt the import repairs rather than quarantines. */
    private static List<String> repairedDirt(String target, String i) {
        List<String> queries = new ArrayList<>();
        for (StatusVocabulary vocabulary : StatusVocabulary.values()) {
            String spellings = "ARRAY['" + String.join("','", vocabulary.legacySpellings()) + "']";
            queries.add("""
                    SELECT CASE WHEN %2$s.map_status('%3$s', status) IS NULL OR status = ANY(%4$s) THEN NULL
                                WHEN %2$s.norm_status(status) = ANY(SELECT lower(x) FROM unnest(%4$s) x)
                                THEN '%1$s: status in another case or with spaces'
                                ELSE '%1$s: status synonym' END AS kind, id
                      FROM public.%5$s""".formatted(vocabulary.legacyTable(), i, vocabulary.kind(), spellings,
                    Jdbc.quoteIdent(vocabulary.legacyTable())));
        }
        for (String table : List.of("User", "Event", "Seat", "Booking", "PaymentSession", "Ticket")) {
            queries.add("SELECT '%1$s: non-UUID id' AS kind, id FROM public.%2$s WHERE NOT %3$s.is_uuid(id)"
                    .formatted(table, Jdbc.quoteIdent(table), i));
        }
        queries.add("""
                SELECT CASE WHEN d.problem IS NOT NULL THEN NULL
                            WHEN d.double_encoded THEN 'Booking: double-encoded JSON' END AS kind, b.id
                  FROM public."Booking" b CROSS JOIN LATERAL %1$s.decode_seats(b.seats) d
                UNION ALL
                SELECT CASE WHEN d.problem IS NULL AND cardinality(d.ids) > (SELECT count(DISTINCT x) FROM unnest(d.ids) x)
                            THEN 'Booking: duplicate seat ids' END, b.id
                  FROM public."Booking" b CROSS JOIN LATERAL %1$s.decode_seats(b.seats) d""".formatted(i));
        queries.add("""
                SELECT 'Seat: status corrected to agree with claims' AS kind, ls.id
                  FROM %1$s.seat st JOIN public."Seat" ls ON ls.id = st.legacy_id
                 WHERE %2$s.map_status('seat', ls.status) <> st.status::text""".formatted(target, i));
        return queries;
    }

    public void print(PrintStream out) {
        out.println();
        out.printf("%-22s %10s %10s %12s %12s%n", "legacy table", "legacy", "migrated", "quarantined", "unaccounted");
        for (TableCount t : tables) {
            out.printf("%-22s %10d %10d %12d %12d%n", t.table(), t.legacy(), t.migrated(), t.quarantined(), t.unaccounted());
        }
        out.println();
        out.printf("%-55s %8s  %s%n", "anomaly", "rows", "examples (legacy ids)");
        anomalies.forEach((kind, anomaly) -> out.printf("%-55s %8d  %s%s%n", kind, anomaly.count(),
                String.join(", ", anomaly.examples()), quarantined.containsKey(kind) ? "  [quarantined]" : ""));
    }
}
