package io.ticketing.persistence.mybatis;

import io.ticketing.testsupport.TestDatabase;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of the seat map of an event of 100,000 seats, as the mapper's statement asks for it, is read from the
 * partial index seat_available_idx in its order, from the cursor on, and stops at the page: no sort of the event's
 * seats, no more rows read than the page holds. With the values bound (a custom plan) and without them (the generic
 * plan a prepared statement falls back to after a few executions). Asserts on the plan, never on time.
 */
class SeatMapPlanTest {

    private static final String STATEMENT = "io.ticketing.persistence.mybatis.adapter.SeatMapper.findAvailableSeats";
    private static final int PAGE = 101; // what the service asks for a page of 100: one more says whether another follows
    /** The plan node that scans seat_available_idx, up to the next node: group 2 is the rows it returned. */
    private static final Pattern SEAT_MAP_SCAN = Pattern.compile(
            "\"Index Name\": \"seat_available_idx\",((?:(?!\"Node Type\").)*?\"Actual Rows\": ([0-9]+)(?:(?!\"Node Type\").)*)", Pattern.DOTALL);

    static Connection connection;
    static Configuration mybatis;
    static UUID event;
    static UUID middleSeat;

    @BeforeAll
    static void eventOf100000Seats() throws Exception {
        TestDatabase database = MigratedDatabase.create();
        connection = database.connect();
        mybatis = Sessions.configuration(database.dataSource());
        event = UUID.randomUUID();
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET ticketing.check_invariants = off"); // seats sold here without their bookings
            sql.execute("INSERT INTO ticketing.event (id, title, starts_at, currency, status) VALUES ('" + event
                    + "', 'Stadium', now() + interval '30 days', 'EUR', 'PUBLISHED')");
            sql.execute("INSERT INTO ticketing.event (id, title, starts_at, currency, status) VALUES ('" + UUID.randomUUID()
                    + "', 'Club', now() + interval '20 days', 'EUR', 'PUBLISHED')");
            // 10 sections x 100 rows x 100 seats; 70 % available, the rest sold or blocked. A small event beside it.
            sql.execute("""
                    INSERT INTO ticketing.seat (event_id, section, "row", number, price, status)
                    SELECT '%s', 'S' || (n / 10000), 'R' || (n / 100 %% 100), n %% 100 + 1, 50,
                           CASE WHEN n %% 10 < 7 THEN 'AVAILABLE' WHEN n %% 10 < 9 THEN 'BOOKED' ELSE 'BLOCKED' END::ticketing.seat_status
                      FROM generate_series(0, 99999) n""".formatted(event));
            sql.execute("""
                    INSERT INTO ticketing.seat (event_id, section, "row", number, price, status)
                    SELECT e.id, 'A', '1', n, 20, 'AVAILABLE' FROM ticketing.event e, generate_series(1, 200) n WHERE e.title = 'Club'""");
            sql.execute("VACUUM ANALYZE ticketing.seat");
            sql.execute("VACUUM ANALYZE ticketing.event");
        }
        try (ResultSet seat = connection.createStatement().executeQuery("SELECT id FROM ticketing.seat WHERE event_id = '" + event
                + "' AND section = 'S5' AND \"row\" = 'R50' AND number = 50")) {
            assertThat(seat.next()).isTrue();
            middleSeat = seat.getObject(1, UUID.class);
        }
        assertThat(count("SELECT count(*) FROM ticketing.seat WHERE event_id = '" + event + "'")).isEqualTo(100_000L);
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"the first page, false", "a page in the middle, true"})
    void a_page_reads_the_index_from_its_cursor_on_and_stops_at_the_page(String page, boolean fromTheMiddle) throws Exception {
        BoundSql statement = statement(fromTheMiddle);
        String plan = explain(statement, "EXPLAIN (ANALYZE, FORMAT JSON) ", fromTheMiddle);

        assertThat(plan).as("no sort of the event's seats").doesNotContain("\"Node Type\": \"Sort\"");
        Matcher scan = SEAT_MAP_SCAN.matcher(plan);
        assertThat(scan.find()).as(plan).isTrue();
        assertThat(Long.parseLong(scan.group(2))).as("rows read from the index: a page, not the event").isLessThanOrEqualTo(PAGE);
        // The cursor bounds the scan (an index condition), rather than filtering the rows read before it.
        assertThat(scan.group(0)).as(plan).doesNotContain("\"Filter\"");
        if (fromTheMiddle) {
            assertThat(scan.group(0)).as(plan).containsPattern("\"Index Cond\": \"[^\n]*ROW\\(section");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"the first page, false", "a page in the middle, true"})
    void the_generic_plan_of_a_prepared_page_reads_the_index_in_order_too(String page, boolean fromTheMiddle) throws Exception {
        BoundSql statement = statement(fromTheMiddle);
        StringBuilder numbered = new StringBuilder();
        int parameter = 0;
        for (char c : statement.getSql().toCharArray()) {
            numbered.append(c == '?' ? "$" + ++parameter : String.valueOf(c));
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET plan_cache_mode = force_generic_plan");
            sql.execute("PREPARE seat_page AS " + numbered);
            try {
                StringBuilder arguments = new StringBuilder();
                for (Object value : values(statement, fromTheMiddle)) {
                    arguments.append(arguments.isEmpty() ? "" : ", ").append(value instanceof UUID ? "'" + value + "'::uuid" : value);
                }
                List<String> lines = new ArrayList<>();
                try (ResultSet rows = sql.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE seat_page(" + arguments + ")")) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                String plan = String.join("\n", lines);
                assertThat(plan).as(plan).contains("\"Index Name\": \"seat_available_idx\"");
                assertThat(plan).as("no sort of the event's seats").doesNotContain("\"Node Type\": \"Sort\"");
            } finally {
                sql.execute("DEALLOCATE seat_page");
                sql.execute("RESET plan_cache_mode");
            }
        }
    }

    private static BoundSql statement(boolean fromTheMiddle) {
        return mybatis.getMappedStatement(STATEMENT).getBoundSql(parameters(fromTheMiddle));
    }

    private static Map<String, Object> parameters(boolean fromTheMiddle) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("eventId", event);
        parameters.put("after", fromTheMiddle ? middleSeat : null);
        parameters.put("limit", PAGE);
        return parameters;
    }

    /** The statement's values in the order of its placeholders. */
    private static List<Object> values(BoundSql statement, boolean fromTheMiddle) {
        Map<String, Object> parameters = parameters(fromTheMiddle);
        List<Object> values = new ArrayList<>();
        for (ParameterMapping mapping : statement.getParameterMappings()) {
            values.add(parameters.get(mapping.getProperty()));
        }
        return values;
    }

    private static String explain(BoundSql statement, String explain, boolean fromTheMiddle) throws Exception {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement sql = connection.prepareStatement(explain + statement.getSql())) {
            List<Object> values = values(statement, fromTheMiddle);
            for (int i = 0; i < values.size(); i++) {
                sql.setObject(i + 1, values.get(i));
            }
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        return String.join("\n", lines);
    }

    private static long count(String sql) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
