package io.ticketing.persistence.mybatis;

import io.ticketing.persistence.mybatis.ReplicaHealth.State;
import io.ticketing.testsupport.StreamingReplica;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The replica's health as a real hot standby shows it: caught up, behind, stopped, back. */
class ReplicaHealthTest {

    private static final Duration MAX_LAG = Duration.ofSeconds(1);

    private static StreamingReplica servers;
    private static ConnectionPool replicaPool;
    private static ConnectionPool primaryPool;
    private static ReplicaHealth health;

    @BeforeAll
    static void start() {
        servers = StreamingReplica.start();
        servers.createDatabase("shop");
        replicaPool = ConnectionPool.openReplicaCheck(servers.replicaUrl("shop"), servers.user(), servers.password(), false);
        primaryPool = ConnectionPool.openReplicaCheck(servers.primaryUrl("shop"), servers.user(), servers.password(), false);
        health = new ReplicaHealth(new Sessions(replicaPool.dataSource()), new Sessions(primaryPool.dataSource()), MAX_LAG);
    }

    @AfterAll
    static void stop() {
        primaryPool.close();
        replicaPool.close();
        servers.close();
    }

    @Test
    void a_read_url_of_another_database_or_another_cluster_is_not_used_however_current_it_is() throws Exception {
        servers.awaitReplayed();
        TestDatabase elsewhere = TestPostgres.emptyDatabase(); // a server of its own: another cluster
        try (ConnectionPool otherDatabase = ConnectionPool.openReplicaCheck(servers.replicaUrl("postgres"), servers.user(),
                servers.password(), false);
             ConnectionPool otherCluster = ConnectionPool.openReplicaCheck(elsewhere.jdbcUrl(), elsewhere.user(),
                     elsewhere.password(), false)) {
            for (ConnectionPool wrong : new ConnectionPool[]{otherDatabase, otherCluster}) {
                ReplicaHealth.Status status = new ReplicaHealth(new Sessions(wrong.dataSource()),
                        new Sessions(primaryPool.dataSource()), MAX_LAG).check();

                assertThat(status.state()).as(status.detail()).isEqualTo(State.DOWN);
                assertThat(status.detail()).contains("not the primary's (database shop of cluster");
            }
        }
    }

    @Test
    void a_replica_with_nothing_to_replay_is_in_use_however_long_the_primary_has_been_idle() throws Exception {
        writeOnThePrimary();
        servers.awaitReplayed();
        Thread.sleep(MAX_LAG.multipliedBy(2).toMillis()); // the last replayed transaction is now older than the bound

        ReplicaHealth.Status status = health.check();

        assertThat(status.state()).as(status.detail()).isEqualTo(State.IN_USE);
        assertThat(status.lag()).contains(Duration.ZERO);
    }

    @Test
    void a_replica_whose_replay_is_paused_while_the_primary_writes_is_lagging_then_in_use_once_it_catches_up() throws Exception {
        servers.pauseReplay();
        try {
            writeOnThePrimary();
            Thread.sleep(MAX_LAG.multipliedBy(2).toMillis());
            writeOnThePrimary(); // the replica receives it but does not apply it

            ReplicaHealth.Status status = health.check();

            assertThat(status.state()).as(status.detail()).isEqualTo(State.LAGGING);
            assertThat(status.lag()).hasValueSatisfying(lag -> assertThat(lag).isGreaterThan(MAX_LAG));
            assertThat(status.detail()).contains("behind");
        } finally {
            servers.resumeReplay();
        }
        servers.awaitReplayed();
        assertThat(health.check().state()).isEqualTo(State.IN_USE);
    }

    @Test
    void a_stopped_replica_is_down_and_in_use_again_once_started() throws InterruptedException {
        servers.stopReplica();
        try {
            ReplicaHealth.Status status = health.check();

            assertThat(status.state()).isEqualTo(State.DOWN);
            assertThat(status.detail()).startsWith("replica not reachable");
            assertThat(health.status()).isEqualTo(status);
        } finally {
            servers.startReplica();
        }
        servers.awaitReplayed();
        // Until its WAL receiver streams again a restarted replica cannot tell that it has everything: lagging.
        assertThat(checkUntilInUse()).isTrue();
    }

    /** Checks as the application does, every 100 ms, until the replica is in use or 30 s have passed. */
    private static boolean checkUntilInUse() throws InterruptedException {
        for (int attempt = 0; attempt < 300; attempt++) {
            if (health.check().inUse()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static void writeOnThePrimary() throws SQLException {
        try (Connection connection = DriverManager.getConnection(servers.primaryUrl("shop"), servers.user(), servers.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS tick (at timestamptz)");
            statement.execute("INSERT INTO tick VALUES (now())");
        }
    }
}
