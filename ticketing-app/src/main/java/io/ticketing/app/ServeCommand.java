package io.ticketing.app;

import io.javalin.util.JavalinBindException;
import io.ticketing.api.web.auth.ApiKeys;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.port.out.RefundPaymentPort;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.ApiKeyRepository;
import io.ticketing.migration.schema.SchemaMigrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Migrate the database and serve the HTTP API until Ctrl-C or SIGTERM.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    DatabaseOptions database;

    @Mixin
    SecurityOptions security;

    @Mixin
    ReplicaOptions replica;

    @Option(names = "--host", defaultValue = "${env:TICKETING_HTTP_HOST:-127.0.0.1}", paramLabel = "HOST",
            description = "Address to listen on (env TICKETING_HTTP_HOST, default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:TICKETING_HTTP_PORT:-7070}", paramLabel = "PORT",
            description = "Port to listen on, 0 for any free port (env TICKETING_HTTP_PORT, default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--demo", description = "Load a demo event with seats (once; found again on the next start).")
    boolean demo;

    @Option(names = "--sweep-every", defaultValue = "${env:TICKETING_SWEEP_EVERY:-PT5S}", paramLabel = "DURATION",
            description = "How often expired checkouts are released, cancellations continued and refunds sent, ISO-8601 (env TICKETING_SWEEP_EVERY, default: ${DEFAULT-VALUE}).")
    Duration sweepEvery;

    @Option(names = "--analytics-refresh-every", defaultValue = "${env:TICKETING_ANALYTICS_REFRESH_EVERY:-PT5M}", paramLabel = "DURATION",
            description = "How often the sales analytics view is refreshed, by one instance at a time, ISO-8601 "
                    + "(env TICKETING_ANALYTICS_REFRESH_EVERY, default: ${DEFAULT-VALUE}).")
    Duration analyticsRefreshEvery;

    @Option(names = "--checkout-expiry", defaultValue = "${env:TICKETING_CHECKOUT_EXPIRY:-PT15M}", paramLabel = "DURATION",
            description = "How long a checkout holds its seats before they are released, ISO-8601 "
                    + "(env TICKETING_CHECKOUT_EXPIRY, default: ${DEFAULT-VALUE}).")
    Duration checkoutExpiry;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CliException("--port must be from 0 to 65535, got " + port, CliException.USAGE, null);
        }
        for (var positive : List.of(Map.entry("--checkout-expiry", checkoutExpiry), Map.entry("--sweep-every", sweepEvery),
                Map.entry("--analytics-refresh-every", analyticsRefreshEvery))) {
            if (positive.getValue().isNegative() || positive.getValue().isZero()) {
                throw new CliException(positive.getKey() + " must be positive, got " + positive.getValue(), CliException.USAGE, null);
            }
        }
        replica.validate();
        security.useDevelopmentSecretsIfEmbedded(database);
        var jwt = security.jwtVerifier();
        RunDatabase db = RunDatabase.open(database);
        Optional<Application.ReadReplica> readReplica = Optional.empty();
        Application app;
        try {
            db.requireServable("serve");
            readReplica = replica.open(database);
            List<String> applied = db.migrate("serve");
            LOG.info(applied.isEmpty() ? "schema {} is up to date" : "schema {}: applied migrations {}",
                    SchemaMigrator.SCHEMA, String.join(", ", applied));
            bootstrapAdminKey(new ApiKeyRepository(new Sessions(db.dataSource())));
            // A local run refunds through the development provider; a production one has no refund adapter yet.
            Optional<RefundPaymentPort> refunds = database.embedded() || demo ? Optional.of(new DevRefundProvider()) : Optional.empty();
            app = Application.start(db.pool(), readReplica, new Application.Settings(host, port, jwt, security.webhookSecret, sweepEvery,
                    analyticsRefreshEvery, checkoutExpiry, demo, refunds));
        } catch (JavalinBindException e) {
            readReplica.ifPresent(Application.ReadReplica::close);
            db.close();
            throw new CliException("cannot listen on " + host + ":" + port
                    + ": the port is in use or the address is not this machine's (choose another with --port or --host)", e);
        } catch (RuntimeException e) {
            readReplica.ifPresent(Application.ReadReplica::close);
            db.close();
            throw e;
        }
        LOG.info("ticketing serves http://{}:{} on {}", host, app.port(), db.description());

        Optional<Application.ReadReplica> openedReplica = readReplica;
        db.onExit(() -> {
            LOG.info("stopping: finishing requests in flight, then closing the database");
            app.close();
            openedReplica.ifPresent(Application.ReadReplica::close);
        });
        db.awaitClosed();
        return 0;
    }

    /** Stores the hash of TICKETING_ADMIN_API_KEY, once, so that automation can start with a known key. */
    private void bootstrapAdminKey(ApiKeyRepository apiKeys) {
        if (security.adminApiKey == null || security.adminApiKey.isBlank()) {
            return;
        }
        String hash = ApiKeys.hash(security.adminApiKey.strip());
        if (apiKeys.loadActiveApiKey(hash).isEmpty()) {
            apiKeys.create("bootstrap-admin", Role.ADMIN.name(), hash);
            LOG.info("stored the ADMIN key given by --admin-api-key or TICKETING_ADMIN_API_KEY (as 'bootstrap-admin')");
        }
    }
}
