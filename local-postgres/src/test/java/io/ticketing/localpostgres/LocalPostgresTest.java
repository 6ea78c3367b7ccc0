package io.ticketing.localpostgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPostgresTest {

    @TempDir
    Path parent;

    @Test
    void a_persistent_server_keeps_its_data_across_restarts() throws SQLException {
        Path data = parent.resolve("pgdata");
        try (LocalPostgres first = LocalPostgres.startPersistent(data, 0, Map.of())) {
            execute(first, "CREATE TABLE kept (value integer); INSERT INTO kept VALUES (42)");
        }

        try (LocalPostgres second = LocalPostgres.startPersistent(data, 0, Map.of());
             Connection connection = connect(second); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT value FROM kept")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void it_serves_postgresql_17() throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.startTemporary(Map.of());
             Connection connection = connect(postgres)) {
            assertThat(connection.getMetaData().getDatabaseMajorVersion()).isEqualTo(17);
        }
    }

    private static void execute(LocalPostgres postgres, String sql) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl("postgres"), LocalPostgres.SUPERUSER, "");
    }
}
