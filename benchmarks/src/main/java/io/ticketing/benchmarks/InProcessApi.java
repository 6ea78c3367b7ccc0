package io.ticketing.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.ticketing.app.Application;
import io.ticketing.api.web.auth.ApiKeys;
import io.ticketing.api.web.auth.JwtVerifier;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.ApiKeyRepository;
import io.ticketing.testsupport.StreamingReplica;
import io.ticketing.testsupport.TestDatabase;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The real HTTP API served in this process, as {@code ticketing serve} would run it: a fresh migrated
 * database, one or more {@link Application} instances on it (each on a free port with a connection pool
 * of its own, of the size the caller gives), the background jobs at serve's default intervals, an
 * admin API key, and an {@link ApiClient} per instance. The access log (one line per request) goes to
 * a file rather than the console: it is written as in production, but does not flood the output.
 */
final class InProcessApi implements AutoCloseable {

    static final String JWT_SECRET = "a-benchmark-secret-that-is-long-enough-for-hs256";
    static final String WEBHOOK_SECRET = "whsec-benchmark";
    /** serve's defaults (ServeCommand): sweep every 5 s, analytics every 5 min, checkouts expire after 15 min. */
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
    private static final Duration ANALYTICS_REFRESH_EVERY = Duration.ofMinutes(5);

    private final String database;
    private final int poolSize;
    private final List<ConnectionPool> pools = new ArrayList<>();
    private final List<Application> applications = new ArrayList<>();
    private final List<ApiClient> clients = new ArrayList<>();

    private InProcessApi(String database, int poolSize) {
        this.database = database;
        this.poolSize = poolSize;
    }

    /** Creates and migrates {@code database} on {@code server}, then starts {@code instances} API instances on it. */
    static InProcessApi start(LocalPostgres server, String database, int instances, int poolSize, Path accessLog) throws SQLException {
        String url = Bench.createDatabase(server, database);
        new SchemaMigrator(Bench.dataSource(server, database)).migrate();
        return start(url, LocalPostgres.SUPERUSER, "", database, instances, poolSize, false, accessLog);
    }

    /**
     * Starts {@code instances} API instances on the migrated database at {@code url}; {@code pooled}: the URL is a
     * transaction pooler's, as with {@code serve --db-pooled}.
     */
    static InProcessApi start(String url, String user, String password, String database, int instances, int poolSize,
                              boolean pooled, Path accessLog) {
        logAccessTo(accessLog);
        InProcessApi api = new InProcessApi(database, poolSize);
        try {
            String adminKey = ApiKeys.generate();
            for (int i = 0; i < instances; i++) {
                api.addInstance(url, user, password, pooled, adminKey, Optional.empty());
            }
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    /**
     * Creates and migrates {@code database} on the primary of {@code servers}, then starts two API instances on it:
     * instance 0 on the primary alone, instance 1 with the replica as its read replica ({@code serve --db-read-url}).
     */
    static InProcessApi startWithAndWithoutReplica(StreamingReplica servers, String database, int poolSize, Duration maxLag,
                                                   Path accessLog) {
        servers.createDatabase(database);
        String url = servers.primaryUrl(database);
        new SchemaMigrator(new TestDatabase(database, url, servers.user(), servers.password()).dataSource()).migrate();
        servers.awaitReplayed();
        logAccessTo(accessLog);
        InProcessApi api = new InProcessApi(database, poolSize);
        try {
            String adminKey = ApiKeys.generate();
            api.addInstance(url, servers.user(), servers.password(), false, adminKey, Optional.empty());
            Application.ReadReplica replica = Application.ReadReplica.open(servers.replicaUrl(database), servers.user(),
                    servers.password(), maxLag, false);
            api.pools.add(replica.pool());
            api.pools.add(replica.check());
            api.addInstance(url, servers.user(), servers.password(), false, adminKey, Optional.of(replica));
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    /** One more instance on {@code url}, with a pool of its own; the first one stores the admin key. */
    private void addInstance(String url, String user, String password, boolean pooled, String adminKey,
                             Optional<Application.ReadReplica> replica) {
        ConnectionPool pool = ConnectionPool.open(url, user, password, poolSize, ConnectionPool.DEFAULT_CONNECTION_TIMEOUT, pooled);
        pools.add(pool);
        if (applications.isEmpty()) {
            new ApiKeyRepository(new Sessions(pool.dataSource())).create("benchmark-admin", "ADMIN", ApiKeys.hash(adminKey));
        }
        Application application = Application.start(pool, replica, new Application.Settings("127.0.0.1", 0,
                Optional.of(JwtVerifier.hmac(JWT_SECRET, ApiClient.ISSUER, ApiClient.AUDIENCE)), WEBHOOK_SECRET,
                SWEEP_EVERY, ANALYTICS_REFRESH_EVERY, CheckoutLimits.defaults().expiry(), false));
        applications.add(application);
        clients.add(new ApiClient(URI.create("http://127.0.0.1:" + application.port()), JWT_SECRET, WEBHOOK_SECRET, adminKey));
    }

    String database() {
        return database;
    }

    int poolSize() {
        return poolSize;
    }

    int instances() {
        return clients.size();
    }

    /** The caller of instance {@code i} (0-based). */
    ApiClient client(int i) {
        return clients.get(i);
    }

    @Override
    public void close() {
        applications.forEach(Application::close);
        pools.forEach(ConnectionPool::close);
    }

    /** Sends logger {@code ticketing.access} (RequestIds) to {@code file}, and only there. */
    private static void logAccessTo(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another logging backend: leave its configuration alone
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} [%thread] %X{requestId:-} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("benchmark-access-log");
        appender.setFile(file.toString());
        appender.setAppend(false);
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger access = context.getLogger("ticketing.access");
        access.detachAndStopAllAppenders();
        access.addAppender(appender);
        access.setAdditive(false);
        System.out.println("access log of the API: " + file.toAbsolutePath());
    }
}
