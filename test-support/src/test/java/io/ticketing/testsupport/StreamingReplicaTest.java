package io.ticketing.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingReplicaTest {

    private static StreamingReplica servers;

    @BeforeAll
    static void start() {
        servers = StreamingReplica.start();
        servers.createDatabase("shop");
        execute(servers.primaryUrl("shop"), "CREATE TABLE sale (id int PRIMARY KEY)");
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void the_replica_is_a_standby_that_receives_what_the_primary_commits() {
        execute(servers.primaryUrl("shop"), "INSERT INTO sale VALUES (1)");
        servers.awaitReplayed();

        assertThat(query(servers.replicaUrl("shop"), "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        assertThat(query(servers.primaryUrl("shop"), "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        assertThat(query(servers.replicaUrl("shop"), "SELECT count(*) FROM sale WHERE id = 1")).isEqualTo("1");
        assertThatThrownBy(() -> execute(servers.replicaUrl("shop"), "INSERT INTO sale VALUES (2)"))
                .hasMessageContaining("read-only");
    }

    @Test
    void a_paused_replica_falls_behind_and_catches_up_when_resumed() {
        servers.pauseReplay();
        try {
            execute(servers.primaryUrl("shop"), "INSERT INTO sale VALUES (3)");
            assertThat(query(servers.replicaUrl("shop"), "SELECT count(*) FROM sale WHERE id = 3")).isEqualTo("0");
        } finally {
            servers.resumeReplay();
        }
        servers.awaitReplayed();
        assertThat(query(servers.replicaUrl("shop"), "SELECT count(*) FROM sale WHERE id = 3")).isEqualTo("1");
    }

    @Test
    void a_stopped_replica_starts_again_on_its_port_and_catches_up() {
        servers.stopReplica();
        assertThatThrownBy(() -> query(servers.replicaUrl("shop"), "SELECT 1")).hasMessageContaining("failed");
        execute(servers.primaryUrl("shop"), "INSERT INTO sale VALUES (4)");

        servers.startReplica();
        servers.awaitReplayed();

        assertThat(query(servers.replicaUrl("shop"), "SELECT count(*) FROM sale WHERE id = 4")).isEqualTo("1");
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, servers.user(), servers.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private static String query(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, servers.user(), servers.password());
             Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
