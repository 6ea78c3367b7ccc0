package io.ticketing.migration.legacy;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One running process of the application that writes to the database ({@code serve}, {@code cancel-event}), as its
 * row of {@code ticketing.serving_instance} (V18), renewed every {@link #RENEW_EVERY}. The process writes only within
 * {@link #LEASE} of a renewal that found the schema servable ({@link LegacyImportState}). {@code legacy import} and
 * {@code legacy rollback}, which write beside the application or drop what it writes, hold a lock under which no
 * instance finds the schema servable ({@link ImportLock#fencing}), then refuse while a row was renewed within
 * {@link #FORGOTTEN_AFTER}, longer than the lease: whichever of the two comes second sees the other. Times are the
 * database's, so the machines' clocks do not matter.
 */
public final class ServingInstance {

    public static final Duration RENEW_EVERY = Duration.ofSeconds(5);
    public static final Duration LEASE = Duration.ofSeconds(15);
    public static final Duration FORGOTTEN_AFTER = Duration.ofSeconds(20);
    private static final String TABLE = LegacyImporter.TARGET + ".serving_instance";

    private final UUID id = UUID.randomUUID();
    private final String command;

    public ServingInstance(String command) {
        this.command = command;
    }

    /**
     * Records that this instance is alive now, in a transaction of its own that gives up after a few seconds rather
     * than queue behind a rollback's locks: committed before the caller asks whether it may serve. Returns whether its
     * row was not there (the first time; afterwards, the table was dropped and made again, or the row deleted).
     */
    public boolean renew(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            Jdbc.script(connection, "SET LOCAL lock_timeout = '2s'; SET LOCAL statement_timeout = '5s'");
            boolean inserted = Boolean.TRUE.equals(Jdbc.single(connection, "INSERT INTO " + TABLE
                    + " (id, command, host, pid, started_at, last_seen_at) VALUES (?, ?, ?, ?, clock_timestamp(), clock_timestamp()) "
                    + "ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at RETURNING xmax = 0", id, command, host(),
                    ProcessHandle.current().pid()));
            connection.commit();
            return inserted;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** This instance stops writing: import and rollback need not wait for its row to age (and rows dead for a day go). */
    public void forget(Connection connection) throws SQLException {
        Jdbc.update(connection, "DELETE FROM " + TABLE + " WHERE id = ? OR last_seen_at < clock_timestamp() - interval '1 day'", id);
    }

    /**
     * Refuses {@code command} while an instance of the application may still write here. Asked under the fence
     * ({@link ImportLock#fencing}), on a connection of its own: a transaction that read the table would keep a lock on it,
     * which a rollback drops.
     */
    static void requireNoneRunning(DataSource dataSource, String command) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            requireNoneRunning(connection, command);
        }
    }

    private static void requireNoneRunning(Connection connection, String command) throws SQLException {
        // A role that may not use the schema is refused by the command's own check of what it owns, which follows.
        if (!Jdbc.exists(connection, LegacyImporter.TARGET, "serving_instance")
                || !Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_schema_privilege(?, 'USAGE')", LegacyImporter.TARGET))) {
            return;
        }
        if (!Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_table_privilege(to_regclass(?), 'SELECT')", TABLE))) {
            throw new IllegalStateException(command + " refused: cannot tell whether the application is running on this database: role "
                    + Jdbc.single(connection, "SELECT current_user") + " may not read " + TABLE + " (GRANT SELECT ON " + TABLE + " to it)");
        }
        List<Map<String, Object>> running = Jdbc.query(connection, "SELECT command, host, pid, "
                + "floor(extract(epoch FROM clock_timestamp() - last_seen_at))::bigint AS ago FROM " + TABLE
                + " WHERE last_seen_at > clock_timestamp() - make_interval(secs => ?) ORDER BY last_seen_at DESC",
                (double) FORGOTTEN_AFTER.toSeconds());
        if (!running.isEmpty()) {
            throw new IllegalStateException(command + " refused: the application is running on this database ("
                    + running.stream().limit(3).map(r -> "`" + r.get("command") + "` on " + r.get("host") + ", pid " + r.get("pid")
                            + ", seen " + r.get("ago") + " s ago").collect(Collectors.joining("; "))
                    + (running.size() > 3 ? "; " + (running.size() - 3) + " more" : "") + "): stop every instance first (one that died is forgotten "
                    + FORGOTTEN_AFTER.toSeconds() + " s after it was last seen)");
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "an unnamed host";
        }
    }
}
