package io.ticketing.app;

import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.localpostgres.LocalPostgresException;
import io.ticketing.database.DatabaseErrors;
import io.ticketing.migration.ServerOptions;
import io.ticketing.migration.legacy.LegacyImportState;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The database of one run of a command: a pool on the configured server, or on an embedded
 * PostgreSQL started for the run. Closing it closes the pool, then stops the embedded server. It owns the process's
 * shutdown: when the JVM exits before the command closed it (Ctrl-C, SIGTERM), one shutdown hook runs what still needs
 * the database ({@link #onExit}), then closes it; separate hooks would run at once, and the embedded server could stop
 * under the work that needs it.
 *
 * <p>With {@code --db-pooled} the pool goes through a transaction pooler, and the work that keeps session state
 * between transactions runs on connections of its own to {@code --db-direct-url} ({@link #withSessionState}).
 */
final class RunDatabase implements AutoCloseable {

    private final LocalPostgres embedded;
    private final ConnectionPool pool;
    private final String description;
    /** The server's options; null on the embedded database. */
    private final ServerOptions server;
    private final Thread shutdownHook = new Thread(this::closeOnExit, "ticketing-shutdown");
    private volatile Runnable beforeCloseOnExit = () -> { };
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private RunDatabase(LocalPostgres embedded, ConnectionPool pool, String description, ServerOptions server) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
        this.server = server;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static RunDatabase open(DatabaseOptions options) {
        ServerOptions server = options.server;
        // Given, but empty (an unset variable in a script, say): not a request for the embedded database.
        if (server.url != null && server.url.isBlank()) {
            throw new CliException("--db-url (env TICKETING_DB_URL) is empty: give the database's JDBC URL, e.g. "
                    + "jdbc:postgresql://localhost:5432/ticketing, or neither for the embedded PostgreSQL", CliException.USAGE, null);
        }
        server.misconfigured().ifPresent(problem -> {
            throw new CliException(problem, CliException.USAGE, null);
        });
        if (!options.embedded()) {
            return new RunDatabase(null, connect(server.url, server.user, server.password, server.pooled),
                    ServerOptions.shown(server.url) + (server.pooled ? " (through a transaction pooler)" : ""), server);
        }
        if (server.pooled) {
            throw new CliException("--db-pooled needs --db-url, the pooler's address (the embedded PostgreSQL has no pooler in front of it)",
                    CliException.USAGE, null);
        }
        LocalPostgres embedded;
        try {
            embedded = LocalPostgres.startPersistent(options.dataDirectory, 0, Map.of(), LocalPostgres.OnExit.LEFT_TO_CALLER);
        } catch (LocalPostgresException e) {
            throw new CliException(e.getMessage() + " (is another ticketing already using "
                    + options.dataDirectory.toAbsolutePath() + "? then give the URL its `serve` printed with --db-url and "
                    + "--db-user, or another server)", e);
        }
        try {
            String url = embedded.jdbcUrl("postgres");
            ConnectionPool pool = connect(url, LocalPostgres.SUPERUSER, "", false);
            // The URL too: while `serve` holds the data folder, other commands reach the database through it.
            return new RunDatabase(embedded, pool, "embedded PostgreSQL at " + url + " (user " + LocalPostgres.SUPERUSER
                    + "), data in " + options.dataDirectory.toAbsolutePath(), null);
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    private static ConnectionPool connect(String url, String user, String password, boolean pooled) {
        return connect(url, "--db-url", user, password, ConnectionPool.DEFAULT_SIZE, pooled);
    }

    /** {@code option}: the option that gave {@code url}, which a failure to connect names. */
    private static ConnectionPool connect(String url, String option, String user, String password, int size, boolean pooled) {
        ServerOptions.malformed("the database URL", url).ifPresent(problem -> {
            throw new CliException(problem, CliException.USAGE, null);
        });
        try {
            return ConnectionPool.open(url, user, password, size, ConnectionPool.DEFAULT_CONNECTION_TIMEOUT, pooled);
        } catch (RuntimeException e) {
            throw new CliException(DatabaseErrors.describe(e, ServerOptions.shown(url), option), e);
        }
    }

    DataSource dataSource() {
        return pool.dataSource();
    }

    /** What runs on connections that keep session state: it may throw what the work throws. */
    interface SessionWork<T, E extends Exception> {
        T run(DataSource dataSource) throws E;
    }

    /** Refuses, as a usage error, to start {@code what} when it could not get a connection of its own past the pooler. */
    void requireSessionState(String what) {
        if (server != null && server.sessionUrl().isEmpty()) {
            throw new CliException(ServerOptions.noSessionUrl(what), CliException.USAGE, null);
        }
    }

    /**
     * Runs {@code what} on connections that keep their session between transactions (a session advisory lock, a
     * {@code SET} before a statement that cannot run in a transaction): the run's own pool, or with
     * {@code --db-pooled} a small pool on {@code --db-direct-url}, closed when the work is done.
     */
    <T, E extends Exception> T withSessionState(String what, SessionWork<T, E> work) throws E {
        requireSessionState(what);
        if (server == null || !server.pooled) {
            return work.run(pool.dataSource());
        }
        // Flyway holds its lock on one connection and migrates on another.
        try (ConnectionPool direct = connect(server.sessionUrl().orElseThrow(), "--db-direct-url", server.user, server.password, 3, false)) {
            Optional<String> different;
            try {
                different = ServerOptions.differentDatabases(pool.dataSource(), direct.dataSource());
            } catch (SQLException e) {
                throw new CliException("cannot tell whether --db-url and --db-direct-url are one database: " + DatabaseErrors.oneLine(e), e);
            }
            different.ifPresent(problem -> {
                throw new CliException(problem, CliException.USAGE, null);
            });
            return work.run(direct.dataSource());
        }
    }

    /**
     * Refuses {@code command}, which writes what the application sells, while the new schema may not be served: beside the
     * legacy app's tables before an import has cut over (LegacyImportState), where it would sell what the legacy app sells.
     */
    void requireServable(String command) {
        LegacyImportState legacy;
        try (Connection connection = dataSource().getConnection()) {
            legacy = LegacyImportState.of(connection);
        } catch (SQLException e) {
            throw new CliException("cannot read the legacy import's state: " + DatabaseErrors.oneLine(e), e);
        }
        if (!legacy.servable()) {
            throw new CliException(command + " refused: " + legacy.detail(), null);
        }
    }

    /** Refuses, in one line, a database whose schema is not at this version's migrations: `migrate` comes first. */
    void requireCurrentSchema() {
        if (!new SchemaMigrator(pool.dataSource()).isCurrent()) {
            throw new CliException(notCurrent(), null);
        }
    }

    /** What {@link #requireCurrentSchema} says. */
    String notCurrent() {
        return "the schema of " + description + " is not at this version's migrations: run `ticketing migrate` first "
                + "(`ticketing info` lists them)";
    }

    /**
     * Applies the pending schema migrations (Flyway holds a session advisory lock while it migrates). Behind a
     * pooler without a direct URL, it migrates nothing and insists that {@code ticketing migrate} did.
     */
    List<String> migrate(String what) {
        if (server != null && server.sessionUrl().isEmpty()) {
            if (!new SchemaMigrator(pool.dataSource()).isCurrent()) {
                throw new CliException("the schema of " + description + " is not at this version's migrations, and "
                        + ServerOptions.noSessionUrl(what + " migrating it") + " (or run `ticketing migrate` with it first)",
                        CliException.USAGE, null);
            }
            return List.of();
        }
        return withSessionState(what, dataSource -> new SchemaMigrator(dataSource).migrate());
    }

    ConnectionPool pool() {
        return pool;
    }

    String description() {
        return description;
    }

    /**
     * Runs {@code work} (what still needs the database: finishing requests, unregistering the instance) when the JVM
     * exits before this database is closed, then closes it.
     */
    void onExit(Runnable work) {
        beforeCloseOnExit = work;
    }

    /** Waits until this database is closed: by the command, or on the JVM's exit. */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    private void closeOnExit() {
        try {
            beforeCloseOnExit.run();
        } finally {
            closeOnce();
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: it closes after its work, or finds this closed
        }
        closeOnce();
    }

    private void closeOnce() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.close();
            if (embedded != null) {
                embedded.close();
            }
        } finally {
            closed.countDown();
        }
    }
}
