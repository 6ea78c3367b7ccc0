package io.ticketing.testsupport;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class TestPostgresTest {

    private static final DatabaseInitializer ONE_TABLE = database -> {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeting (text varchar NOT NULL)");
            statement.execute("INSERT INTO greeting VALUES ('from the template')");
        }
    };

    @Test
    void every_fresh_database_starts_as_a_copy_of_the_template_and_is_isolated_from_the_others() throws SQLException {
        TestDatabase first = TestPostgres.freshDatabase("one-table", ONE_TABLE);
        TestDatabase second = TestPostgres.freshDatabase("one-table", ONE_TABLE);

        execute(first, "INSERT INTO greeting VALUES ('only in the first')");

        assertThat(first.name()).isNotEqualTo(second.name());
        assertThat(count(first)).isEqualTo(2);
        assertThat(count(second)).isEqualTo(1);
    }

    @Test
    void an_empty_database_has_no_tables_of_ours() throws SQLException {
        TestDatabase database = TestPostgres.emptyDatabase();

        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            result.next();
            assertThat(result.getInt(1)).isZero();
        }
    }

    @Test
    void the_server_reports_its_version() {
        assertThat(TestPostgres.server().describe()).startsWith("PostgreSQL " + TestPostgres.server().majorVersion());
    }

    private static void execute(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int count(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM greeting")) {
            result.next();
            return result.getInt(1);
        }
    }
}
