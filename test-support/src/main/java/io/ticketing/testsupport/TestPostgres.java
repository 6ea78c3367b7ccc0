package io.ticketing.testsupport;

import io.ticketing.localpostgres.LocalPostgres;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server of this test JVM, and fresh databases on it.
 *
 * <p>Which server: {@code TICKETING_TEST_DB_URL} (with {@code TICKETING_TEST_DB_USER} and
 * {@code TICKETING_TEST_DB_PASSWORD}) names any running server, through a database the user may
 * connect to and a role that may create databases; {@code TICKETING_TEST_DB=testcontainers} starts
 * a container (needs a Docker engine); otherwise an embedded PostgreSQL 17 starts once per JVM.
 *
 * <p>Isolation: an initializer (typically the Flyway migrations) runs once per JVM into a template
 * database; every {@link #freshDatabase} is a {@code CREATE DATABASE … TEMPLATE} copy of it, which
 * takes milliseconds, so each test class gets a database of its own.
 *
 * <p>Through a pooler: {@code TICKETING_TEST_DB_POOLER=host:port} names a connection pooler in
 * transaction mode (PgBouncer) in front of that server. The tests then reach their databases through
 * it, with the JDBC settings pooling needs ({@value #POOLED_SETTINGS}); databases are still created,
 * and templates prepared, over the direct URL, since a pooler keeps idle connections to a template
 * that {@code CREATE DATABASE … TEMPLATE} refuses.
 */
public final class TestPostgres {

    private static final Pattern URL_DATABASE = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");
    /** No server-side prepared statements: a pooler in transaction mode hands each transaction another server connection. */
    public static final String POOLED_SETTINGS = "prepareThreshold=0";
    private static final String RUN_ID = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

    private static volatile TestPostgres instance;

    private final Server server;
    /** host:port of a transaction-mode pooler in front of the server, or null. */
    private final String pooler = System.getenv("TICKETING_TEST_DB_POOLER");
    private final Map<String, String> templates = new ConcurrentHashMap<>();
    private final List<String> created = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    private TestPostgres(Server server) {
        this.server = server;
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static TestPostgres server() {
        if (instance == null) {
            synchronized (TestPostgres.class) {
                if (instance == null) {
                    TestPostgres started = new TestPostgres(startServer());
                    Runtime.getRuntime().addShutdownHook(new Thread(started::shutDown, "test-postgres-shutdown"));
                    System.out.println("Test PostgreSQL: " + started.describe());
                    instance = started;
                }
            }
        }
        return instance;
    }

    /** A new database copied from the template that {@code initializer} prepared, built once per JVM and name. */
    public static TestDatabase freshDatabase(String templateName, DatabaseInitializer initializer) {
        return server().createFrom(templateName, initializer);
    }

    /**
     * {@code database} over a direct connection to the server, bypassing the pooler if there is one:
     * for work that keeps session state across transactions, which a transaction pooler cannot
     * give (the migrations' session lock; legacy plan's temporary tables).
     */
    public static TestDatabase direct(TestDatabase database) {
        TestPostgres server = server();
        return server.pooled() ? new TestDatabase(database.name(), server.server.urlOf(database.name()), database.user(), database.password())
                : database;
    }

    /** Whether the tests reach their databases through a transaction pooler ({@code TICKETING_TEST_DB_POOLER}). */
    public static boolean throughPooler() {
        return server().pooled();
    }

    /**
     * Whether the server is this JVM's own (embedded), not one shared through {@code TICKETING_TEST_DB_URL}: a test
     * may then change the server's settings for a while, and must put them back.
     */
    public static boolean ownServer() {
        return !server().server.shared();
    }

    /** A new, empty database. */
    public static TestDatabase emptyDatabase() {
        TestPostgres server = server();
        return server.forTests(server.create("template1"));
    }

    /** A new, empty database in {@code encoding} ({@code LATIN1}, {@code SQL_ASCII}), with the C locale that takes any. */
    public static TestDatabase emptyDatabaseIn(String encoding) {
        TestPostgres server = server();
        return server.forTests(server.create("template0 ENCODING '" + encoding + "' LC_COLLATE 'C' LC_CTYPE 'C'"));
    }

    /** "PostgreSQL 17.6 (embedded)", for the logs, so that every run says what it tested against. */
    public String describe() {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             var result = statement.executeQuery("SHOW server_version")) {
            result.next();
            return "PostgreSQL " + result.getString(1) + " (" + server.kind() + (pooled() ? ", through the pooler at " + pooler : "") + ")";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the test PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** The major version of the server, e.g. 17. */
    public int majorVersion() {
        try (Connection connection = admin()) {
            return connection.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestDatabase createFrom(String templateName, DatabaseInitializer initializer) {
        String template = templates.computeIfAbsent(templateName, name -> {
            TestDatabase database = create("template1");
            try {
                initializer.initialize(database);
            } catch (Exception e) {
                throw new IllegalStateException("could not prepare the template database '" + name + "': " + e.getMessage(), e);
            }
            return database.name();
        });
        return forTests(create(template));
    }

    private boolean pooled() {
        return pooler != null && !pooler.isBlank();
    }

    /** The database as the tests reach it: directly, or through the pooler. */
    private TestDatabase forTests(TestDatabase database) {
        if (!pooled()) {
            return database;
        }
        Matcher matcher = URL_DATABASE.matcher(database.jdbcUrl());
        if (!matcher.matches()) {
            throw new IllegalStateException("unexpected test database URL " + database.jdbcUrl());
        }
        String parameters = matcher.group(3);
        String url = "jdbc:postgresql://" + pooler + "/" + matcher.group(2)
                + (parameters.isEmpty() ? "?" : parameters + "&") + POOLED_SETTINGS;
        return new TestDatabase(database.name(), url, database.user(), database.password());
    }

    /** {@code template}: a template database's name, and any other options of CREATE DATABASE after it. */
    private synchronized TestDatabase create(String template) {
        String name = "test_" + RUN_ID + "_" + counter.incrementAndGet();
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
        }
        created.add(name);
        return new TestDatabase(name, server.urlOf(name), server.user(), server.password());
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
    }

    /** Drops what this JVM created on a shared server; an embedded one simply goes away. */
    private void shutDown() {
        if (server.shared()) {
            try (Connection connection = admin(); Statement statement = connection.createStatement()) {
                for (String name : created) {
                    statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            } catch (SQLException e) {
                System.err.println("could not drop the test databases: " + e.getMessage());
            }
        }
        server.stop();
    }

    private static Server startServer() {
        String url = System.getenv("TICKETING_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return new ExternalServer(url, env("TICKETING_TEST_DB_USER", "postgres"), env("TICKETING_TEST_DB_PASSWORD", ""));
        }
        if ("testcontainers".equalsIgnoreCase(System.getenv("TICKETING_TEST_DB"))) {
            return new ContainerServer();
        }
        return new EmbeddedServer();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static String withDatabase(String url, String database) {
        Matcher matcher = URL_DATABASE.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("TICKETING_TEST_DB_URL must look like jdbc:postgresql://host:port/database, got " + url);
        }
        return matcher.group(1) + database + matcher.group(3);
    }

    private interface Server {
        String kind();

        String adminUrl();

        String urlOf(String database);

        String user();

        String password();

        /** Whether other runs may use this server too, so that what we create must be dropped. */
        boolean shared();

        void stop();
    }

    private record ExternalServer(String adminUrl, String user, String password) implements Server {
        ExternalServer {
            withDatabase(adminUrl, "check");
        }

        public String kind() {
            return "server at " + adminUrl;
        }

        public String urlOf(String database) {
            return withDatabase(adminUrl, database);
        }

        public boolean shared() {
            return true;
        }

        public void stop() {
        }
    }

    private static final class EmbeddedServer implements Server {
        // Durability is of no use to a throw-away test server; speed is.
        private final LocalPostgres postgres = LocalPostgres.startTemporary(Map.of(
                "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off", "max_connections", "300"));

        public String kind() {
            return "embedded";
        }

        public String adminUrl() {
            return postgres.jdbcUrl("postgres");
        }

        public String urlOf(String database) {
            return postgres.jdbcUrl(database);
        }

        public String user() {
            return LocalPostgres.SUPERUSER;
        }

        public String password() {
            return "";
        }

        public boolean shared() {
            return false;
        }

        public void stop() {
            postgres.close();
        }
    }

    private static final class ContainerServer implements Server {
        private final PostgreSQLContainer container;

        ContainerServer() {
            container = new PostgreSQLContainer("postgres:17-alpine").withDatabaseName("postgres");
            container.start();
        }

        public String kind() {
            return "Testcontainers";
        }

        public String adminUrl() {
            return container.getJdbcUrl();
        }

        public String urlOf(String database) {
            return withDatabase(container.getJdbcUrl(), database);
        }

        public String user() {
            return container.getUsername();
        }

        public String password() {
            return container.getPassword();
        }

        public boolean shared() {
            return false;
        }

        public void stop() {
            container.stop();
        }
    }
}
