package io.ticketing.migration.legacy;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The lock that one import, rollback or finalize holds at a time (verifies share it): an advisory
 * lock of a transaction that a connection of its own keeps open until {@link #close}. A
 * transaction's lock, not a session's, so that a transaction pooler (PgBouncer) in front of the
 * server keeps it right: the pooler gives that server connection to no one else while the
 * transaction is open, and when the command dies the transaction ends and PostgreSQL releases
 * the lock. The open transaction only reads, in READ COMMITTED: it holds no snapshot and no
 * transaction id between its statements, so vacuum is not held back.
 */
final class ImportLock implements AutoCloseable {

    private static final long KEY = 0x7469636b65744cL;
    /** Held besides {@link #KEY} by an import or a rollback: no instance of the application serves meanwhile. */
    private static final long FENCE = 0x7469636b657446L;
    /** How long a command waits for the lock: long enough for PostgreSQL to notice that a killed run's connection is gone. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Connection connection;

    private ImportLock(Connection connection) {
        this.connection = connection;
    }

    /** The lock for {@code command}; refused when another run still holds it after a few seconds. */
    static ImportLock exclusive(DataSource dataSource, String command) throws SQLException {
        return hold(dataSource, command, "pg_try_advisory_xact_lock");
    }

    /**
     * The lock for an import or a rollback, which write beside the application or drop what it writes: with it, the
     * fence under which no instance of the application finds the schema servable ({@link LegacyImportState}). The
     * command then refuses while an instance still runs ({@link ServingInstance#requireNoneRunning}), once it has said
     * what else it refuses (a finalized database, say).
     */
    static ImportLock fencing(DataSource dataSource, String command) throws SQLException {
        ImportLock lock = exclusive(dataSource, command);
        try {
            // Only holders of the exclusive lock take it: never waited for.
            Jdbc.single(lock.connection, "SELECT pg_advisory_xact_lock(?)", FENCE);
            lock.check(); // lets go of that query's snapshot
            return lock;
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The session that holds the fence (an import or a rollback running), in words; null when none does. */
    static String fenceHolder(Connection connection) throws SQLException {
        return holder(connection, FENCE);
    }

    /** Its shared form, which {@code verify} holds: verifies run side by side, but not while an import, rollback or finalize runs. */
    static ImportLock shared(DataSource dataSource, String command) throws SQLException {
        return hold(dataSource, command, "pg_try_advisory_xact_lock_shared");
    }

    private static ImportLock hold(DataSource dataSource, String command, String tryLock) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            // Whatever the role's or database's default: a snapshot held for the whole run would hold back vacuum.
            Jdbc.script(connection, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            long deadline = System.nanoTime() + GRACE.toNanos();
            while (!Boolean.TRUE.equals(Jdbc.single(connection, "SELECT " + tryLock + "(?)", KEY))) {
                if (System.nanoTime() > deadline) {
                    String holder = holder(connection, KEY);
                    throw new IllegalStateException("another legacy import, verify, rollback or finalize is running on this database"
                            + (holder == null ? "" : " (" + holder + ")") + "; " + command + " refused: wait for it to finish");
                }
                ImportSession.sleep(250);
            }
            // A server's transaction timeout (PostgreSQL 17+) would end the transaction, and the lock with it.
            Jdbc.query(connection, "SELECT set_config(name, '0', true) FROM pg_settings WHERE name = 'transaction_timeout'");
            ImportLock lock = new ImportLock(connection);
            lock.check();
            return lock;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static String holder(Connection connection, long key) throws SQLException {
        return (String) Jdbc.single(connection, """
                SELECT coalesce(nullif(a.application_name, ''), 'a client') || ' from ' || coalesce(host(a.client_addr), 'a local socket')
                       || ', pid ' || l.pid || coalesce(', connected at ' || to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '')
                  FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND ((l.classid::bigint << 32) | l.objid::bigint) = ? LIMIT 1""", key);
    }

    /**
     * Throws unless the lock is still held: its transaction may have been ended under the command (a DBA's script
     * that ends idle transactions, a pooler's idle transaction timeout, a dropped connection), and the work it
     * guards must then stop before another run may start beside it. Also sets the server's idle-in-transaction
     * timeout off for the transaction, and, a utility statement, replaces the portal of the lock's query, whose
     * snapshot would otherwise stay registered and hold back vacuum and every CREATE INDEX CONCURRENTLY (a
     * migration's, a reindex's) until the command ends.
     */
    void check() {
        try {
            Jdbc.script(connection, "SET LOCAL idle_in_transaction_session_timeout = 0");
        } catch (SQLException e) {
            throw new IllegalStateException("lost the import lock (" + e.getMessage().lines().findFirst().orElse("")
                    + "): its transaction on a connection of its own was ended, by a timeout or a dropped connection; "
                    + "stopped so that no other import, rollback or finalize runs beside this one: run the command again", e);
        }
    }

    /** Ends the transaction, and the lock with it (a connection already gone has ended it too). */
    @Override
    public void close() {
        try (connection) {
            connection.rollback(); // a pooler can lend a server connection ended this way to its next client
        } catch (SQLException ignored) {
            // closing ends the transaction on the server whatever the answer
        }
    }
}
