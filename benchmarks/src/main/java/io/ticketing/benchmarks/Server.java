package io.ticketing.benchmarks;

import io.ticketing.localpostgres.LocalPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The PostgreSQL a benchmark runs on: the embedded one ({@link Bench#startServer}, the same settings
 * for every benchmark), or a server installed on the machine, as it is configured, reached through
 * a JDBC URL, a role and its password. Databases are created and dropped through the URL's database
 * (the maintenance database, {@code postgres}).
 */
final class Server implements AutoCloseable {

    /** What the doc reports of a server's settings, whichever it is. */
    static final List<String> REPORTED_SETTINGS = List.of("shared_buffers", "synchronous_commit", "fsync", "max_wal_size",
            "checkpoint_timeout", "maintenance_work_mem", "work_mem", "deadlock_timeout", "max_connections");

    /** One-time setup of the installed server's role that {@code --server installed} uses by default. */
    static final String INSTALLED_SETUP = "su postgres -c \"psql -c \\\"CREATE ROLE bench LOGIN SUPERUSER PASSWORD 'bench'\\\"\"";

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(\\?.*)?$");

    private final String kind;
    private final LocalPostgres embedded;
    private final String urlPrefix;
    private final String maintenanceDatabase;
    private final String urlParameters;
    private final String user;
    private final String password;

    private Server(String kind, LocalPostgres embedded, String url, String user, String password) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url + " (e.g. jdbc:postgresql://localhost:5432/postgres)");
        }
        this.kind = kind;
        this.embedded = embedded;
        this.urlPrefix = m.group(1);
        this.maintenanceDatabase = m.group(2).isEmpty() ? "postgres" : m.group(2);
        this.urlParameters = m.group(3) == null ? "" : m.group(3);
        this.user = user;
        this.password = password;
    }

    static Server embedded() {
        LocalPostgres server = Bench.startServer();
        return new Server("embedded", server, server.jdbcUrl("postgres"), LocalPostgres.SUPERUSER, "");
    }

    static Server installed(String url, String user, String password) throws SQLException {
        Server server = new Server("installed", null, url, user, password);
        try (Connection ignored = server.connect(server.maintenanceDatabase)) {
            System.out.println("using the installed PostgreSQL at " + url + " as " + user);
        } catch (SQLException e) {
            throw new SQLException("could not connect to " + url + " as " + user + " (" + e.getMessage() + "); on this machine, "
                    + "create the role once with:  " + INSTALLED_SETUP + "  (start the cluster with pg_ctlcluster 15 main start "
                    + "if pg_lsclusters shows it down), or pass --db-url/--db-user/--db-password", e.getSQLState(), e);
        }
        return server;
    }

    /** {@code --server embedded|installed} with {@code --db-url/--db-user/--db-password} for an installed one. */
    static Server fromOptions(Map<String, String> options) throws SQLException {
        String kind = options.getOrDefault("server", "embedded");
        return switch (kind) {
            case "embedded" -> embedded();
            case "installed" -> installed(options.getOrDefault("db-url", "jdbc:postgresql://localhost:5432/postgres"),
                    options.getOrDefault("db-user", "bench"), options.getOrDefault("db-password", "bench"));
            default -> throw new IllegalArgumentException("--server is embedded or installed, not " + kind);
        };
    }

    /** "embedded" or "installed". */
    String kind() {
        return kind;
    }

    String jdbcUrl(String database) {
        return urlPrefix + database + urlParameters;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl(database));
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    Connection connectMaintenance() throws SQLException {
        return connect(maintenanceDatabase);
    }

    void createDatabase(String name) throws SQLException {
        try (Connection admin = connectMaintenance()) {
            Bench.execute(admin, "DROP DATABASE IF EXISTS " + name);
            Bench.execute(admin, "CREATE DATABASE " + name);
        }
    }

    /** Drops it even while connections remain (a run that failed may leave its writers connected). */
    void dropDatabase(String name) throws SQLException {
        try (Connection admin = connectMaintenance()) {
            Bench.execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** The machine line with this server's kind. */
    String machineLine() throws SQLException {
        try (Connection connection = connectMaintenance()) {
            return Bench.machineLine(connection, kind);
        }
    }

    /** The server's own values of {@link #REPORTED_SETTINGS}: "name=value, …". */
    String settings() throws SQLException {
        try (Connection connection = connectMaintenance()) {
            return Bench.rows(connection, "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY (?) ORDER BY name",
                            (Object) REPORTED_SETTINGS.toArray(String[]::new)).stream()
                    .map(row -> row[0] + "=" + row[1]).collect(Collectors.joining(", "));
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
