package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated events are upcoming on the day of generation, whatever that day is, and the same seed and day give the same events. */
class LegacyDataGeneratorTest {

    private static final String EVENTS = """
            SELECT id, title, "startDate"::text AS starts, "endDate"::text AS ends, status FROM "Event" ORDER BY "startDate", id""";

    @Test
    void events_start_after_the_day_of_generation() throws SQLException {
        TestDatabase database = TestPostgres.emptyDatabase();
        try (Connection connection = database.connect()) {
            LegacySchema.create(connection);
            LegacyDataGenerator.generate(connection, LegacyDataGenerator.MIN_SEATS, 1);

            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            assertThat(Jdbc.single(connection, "SELECT min(\"startDate\")::text FROM \"Event\""))
                    .isEqualTo(today.plusDays(LegacyDataGenerator.FIRST_EVENT_DAYS) + " 20:00:00");
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM \"Event\" WHERE \"startDate\" <= now() AT TIME ZONE 'UTC'")).isZero();
        }
    }

    @Test
    void the_same_seed_and_day_generate_the_same_events_and_another_day_moves_them() throws SQLException {
        LocalDate day = LocalDate.of(2031, 3, 14);
        List<Map<String, Object>> first = events(day);

        assertThat(events(day)).isEqualTo(first);
        assertThat(first).first().satisfies(event -> assertThat(event.get("starts")).isEqualTo("2031-04-13 20:00:00"));
        List<Map<String, Object>> nextDay = events(day.plusDays(1));
        assertThat(nextDay).extracting(event -> event.get("id")).containsExactlyElementsOf(first.stream().map(event -> event.get("id")).toList());
        assertThat(nextDay).first().satisfies(event -> assertThat(event.get("starts")).isEqualTo("2031-04-14 20:00:00"));
    }

    private static List<Map<String, Object>> events(LocalDate day) throws SQLException {
        TestDatabase database = TestPostgres.emptyDatabase();
        try (Connection connection = database.connect()) {
            LegacySchema.create(connection);
            LegacyDataGenerator.generate(connection, LegacyDataGenerator.MIN_SEATS, 1, day);
            return Jdbc.query(connection, EVENTS);
        }
    }
}
