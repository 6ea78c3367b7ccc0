package io.ticketing.persistence.mybatis;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;
import java.io.Closeable;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;

/**
 * The application's pool of PostgreSQL connections (HikariCP). The defaults suit a small machine:
 * a pool a little larger than the cores, since a ticketing request holds a connection briefly.
 *
 * <p>Behind a connection pooler in transaction mode (PgBouncer's {@code pool_mode = transaction}), each
 * transaction may run on another server connection, so nothing may rely on the server remembering a
 * connection between transactions: see {@link #TRANSACTION_POOLER_SETTINGS}.
 */
public final class ConnectionPool implements Closeable {

    public static final int DEFAULT_SIZE = Math.max(4, Runtime.getRuntime().availableProcessors() * 2 + 1);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** How long the replica's health check waits to connect: a replica that does not answer by then is down. */
    public static final Duration REPLICA_CHECK_TIMEOUT = Duration.ofSeconds(1);

    /**
     * How long a read on the replica waits for its answer on the socket. A replica that stops answering without closing
     * its connections (its host frozen, a network that drops packets) would hold the reads in flight until the kernel
     * gives up (minutes); the statement timeout cannot end them, as its cancel goes to the same silent server. After
     * this, the read fails and the primary answers it. A read the replica serves takes milliseconds.
     */
    public static final Duration REPLICA_READ_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The driver's settings behind a transaction pooler: no named server-side prepared statements (one prepared
     * on a server connection is missing on the next, or another statement holds its name). Nothing else is
     * needed: the driver's {@code SET application_name} at login is a parameter the pooler tracks per client.
     */
    public static final Map<String, String> TRANSACTION_POOLER_SETTINGS = Map.of("prepareThreshold", "0");

    private final HikariDataSource dataSource;

    private ConnectionPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static ConnectionPool open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, DEFAULT_SIZE, DEFAULT_CONNECTION_TIMEOUT);
    }

    public static ConnectionPool open(String jdbcUrl, String user, String password, int size, Duration connectionTimeout) {
        return open(jdbcUrl, user, password, size, connectionTimeout, false);
    }

    /** A pool whose connections go through a transaction pooler when {@code pooled}: see {@link #TRANSACTION_POOLER_SETTINGS}. */
    public static ConnectionPool open(String jdbcUrl, String user, String password, int size, Duration connectionTimeout,
                                      boolean pooled) {
        HikariConfig config = config("ticketing", jdbcUrl, user, password, size, connectionTimeout, pooled);
        // Fail at start, with the driver's own message, rather than at the first request.
        config.setInitializationFailTimeout(connectionTimeout.toMillis());
        return new ConnectionPool(new HikariDataSource(config));
    }

    /**
     * A pool on a read replica: read-only connections. A read waits for one as long as on the primary: under a
     * storm of reads the replica's queue is where they should wait, not the primary's. It opens even while the
     * replica is down: the application starts on the primary alone and uses the replica once it answers.
     */
    public static ConnectionPool openReadReplica(String jdbcUrl, String user, String password, boolean pooled) {
        return replica("ticketing-replica", jdbcUrl, user, password, DEFAULT_SIZE, DEFAULT_CONNECTION_TIMEOUT, pooled);
    }

    /**
     * The one connection of a read replica's health check, apart from the reads' pool so that a storm of reads
     * never holds the check up: it waits {@link #REPLICA_CHECK_TIMEOUT} at most.
     */
    public static ConnectionPool openReplicaCheck(String jdbcUrl, String user, String password, boolean pooled) {
        return replica("ticketing-replica-check", jdbcUrl, user, password, 1, REPLICA_CHECK_TIMEOUT, pooled);
    }

    private static ConnectionPool replica(String name, String jdbcUrl, String user, String password, int size, Duration timeout,
                                          boolean pooled) {
        HikariConfig config = config(name, jdbcUrl, user, password, size, timeout, pooled);
        config.setInitializationFailTimeout(-1);
        config.setReadOnly(true);
        config.addDataSourceProperty("socketTimeout", Long.toString(REPLICA_READ_TIMEOUT.toSeconds()));
        return new ConnectionPool(new HikariDataSource(config));
    }

    private static HikariConfig config(String name, String jdbcUrl, String user, String password, int size, Duration connectionTimeout,
                                       boolean pooled) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.addDataSourceProperty("ApplicationName", name);
        // The driver's own bound on opening a connection (Hikari's timeout does not interrupt it): a
        // server that accepts the connection but never answers would hang the start for good.
        config.addDataSourceProperty("loginTimeout", Long.toString(Math.max(1, connectionTimeout.toSeconds())));
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (pooled) {
            TRANSACTION_POOLER_SETTINGS.forEach(config::addDataSourceProperty);
        }
        return config;
    }

    /** Publishes the pool's metrics (connections active, idle, pending; acquisition times) to {@code registry}. */
    public void publishMetricsTo(MeterRegistry registry) {
        dataSource.setMetricRegistry(registry);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Whether {@code failure} is a wait for a pooled connection that timed out while no connection was failing to
     * open (Hikari names the last failure to open one as the cause of its timeout): the pool was busy, not broken.
     */
    public static boolean timedOutWaitingForABusyPool(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException timeout) {
                return timeout.getCause() == null;
            }
        }
        return false;
    }

    /**
     * Whether the pool is saturated: all its connections open and each serving other work, or others already waiting
     * for one. Sampled after a wait for a connection timed out, it tells a busy server (its queue is full) from one
     * out of reach (its connections broken, evicted or never made).
     */
    public boolean saturated() {
        var pool = dataSource.getHikariPoolMXBean();
        return pool != null && pool.getTotalConnections() >= dataSource.getMaximumPoolSize()
                && (pool.getActiveConnections() >= dataSource.getMaximumPoolSize() || pool.getThreadsAwaitingConnection() > 0);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
