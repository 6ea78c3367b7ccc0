package io.ticketing.app;

import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.localpostgres.LocalPostgresException;
import io.ticketing.database.DatabaseErrors;
import io.ticketing.persistence.mybatis.ConnectionPool;

import javax.sql.DataSource;
import java.util.Map;

/**
 * The database of one run of a command: a pool on the configured server, or on an embedded
 * PostgreSQL started for the run. Closing it closes the pool, then stops the embedded server.
 */
final class RunDatabase implements AutoCloseable {

    private final LocalPostgres embedded;
    private final ConnectionPool pool;
    private final String description;

    private RunDatabase(LocalPostgres embedded, ConnectionPool pool, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
    }

    static RunDatabase open(DatabaseOptions options) {
        if (!options.embedded()) {
            return new RunDatabase(null, connect(options.server.url, options.server.user, options.server.password), options.server.url);
        }
        LocalPostgres embedded;
        try {
            embedded = LocalPostgres.startPersistent(options.dataDirectory, 0, Map.of());
        } catch (LocalPostgresException e) {
            throw new CliException(e.getMessage() + " (is another ticketing already using "
                    + options.dataDirectory.toAbsolutePath() + "? then give the URL its `serve` printed with --db-url and "
                    + "--db-user, or another server)", e);
        }
        try {
            String url = embedded.jdbcUrl("postgres");
            ConnectionPool pool = connect(url, LocalPostgres.SUPERUSER, "");
            // The URL too: while `serve` holds the data folder, other commands reach the database through it.
            return new RunDatabase(embedded, pool, "embedded PostgreSQL at " + url + " (user " + LocalPostgres.SUPERUSER
                    + "), data in " + options.dataDirectory.toAbsolutePath());
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    private static ConnectionPool connect(String url, String user, String password) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new CliException("the database URL must start with jdbc:postgresql:, got '" + url + "'", CliException.USAGE, null);
        }
        try {
            return ConnectionPool.open(url, user, password);
        } catch (RuntimeException e) {
            throw new CliException(DatabaseErrors.describe(e, url), e);
        }
    }

    DataSource dataSource() {
        return pool.dataSource();
    }

    ConnectionPool pool() {
        return pool;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
