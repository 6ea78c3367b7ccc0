package io.ticketing.app;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketing.api.web.ApiApplication;
import io.ticketing.api.web.ApiDependencies;
import io.ticketing.api.web.ApiUseCases;
import io.ticketing.api.web.PaymentWebhookSignature;
import io.ticketing.api.web.ReadinessCheck;
import io.ticketing.api.web.ServingGate;
import io.ticketing.api.web.auth.JwtVerifier;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.StorageUnavailableException;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.in.ContinueEventCancellationUseCase;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.ExpireCheckoutsUseCase;
import io.ticketing.domain.port.in.ExpiryRun;
import io.ticketing.domain.port.in.FinishEventCancellationCommand;
import io.ticketing.domain.port.in.RefundRun;
import io.ticketing.domain.port.in.SendRefundsCommand;
import io.ticketing.domain.port.in.SendRefundsUseCase;
import io.ticketing.domain.port.out.RefundPaymentPort;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.ApiKeyService;
import io.ticketing.domain.service.AuditTrailService;
import io.ticketing.domain.service.BookingService;
import io.ticketing.domain.service.CheckoutService;
import io.ticketing.domain.service.EventCancellationService;
import io.ticketing.domain.service.EventService;
import io.ticketing.domain.service.PaymentWebhookService;
import io.ticketing.domain.service.RefundResultService;
import io.ticketing.domain.service.RefundService;
import io.ticketing.domain.service.RequestService;
import io.ticketing.domain.service.SeatService;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.ReplicaHealth;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.AnalyticsRefresh;
import io.ticketing.persistence.mybatis.access.ApiKeyRepository;
import io.ticketing.persistence.mybatis.access.AuditLogRepository;
import io.ticketing.persistence.mybatis.access.IdempotencyRepository;
import io.ticketing.persistence.mybatis.access.WebhookEventRepository;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running application on one database: the HTTP API, and the background workers (checkout expiry, event
 * cancellations, refunds), which several instances may run at once (each claims its work with SKIP LOCKED or a
 * row lock). With {@link Main},
 * the wiring's one public entry point: the composition root, for whoever starts the application in
 * their own process (the tests, the benchmarks); the architecture tests keep everything else of the
 * wiring out of reach.
 */
public final class Application implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    private static final int EXPIRY_BATCH = 100;
    /** How long a stop waits for a background run in flight (a batch, a refresh) before it unregisters this instance. */
    private static final Duration STOP_WORK_TIMEOUT = Duration.ofSeconds(10);
    private static final Actor CANCELLATION_WORKER = Actor.system("event-cancellation");
    private static final int RUNNING_CANCELLATIONS = 10;
    /** How long the worker leaves out an event whose cancellation failed a batch (it may be a passing conflict). */
    private static final Duration CANCELLATION_RETRY_FAILED_AFTER = Duration.ofMinutes(1);
    private static final Actor REFUND_WORKER = Actor.system("refund-worker");

    /**
     * {@code refundProvider} is the payment provider's refunds the refund worker sends the refund outbox to; without
     * one, no refund worker runs and refund requests wait as REQUESTED (for an instance that has one).
     */
    public record Settings(String host, int port, Optional<JwtVerifier> jwt, String webhookSecret, Duration sweepEvery,
                    Duration analyticsRefreshEvery, Duration checkoutExpiry, boolean demo,
                    Optional<RefundPaymentPort> refundProvider) {

        /** Settings of an instance that sends no refunds. */
        public Settings(String host, int port, Optional<JwtVerifier> jwt, String webhookSecret, Duration sweepEvery,
                        Duration analyticsRefreshEvery, Duration checkoutExpiry, boolean demo) {
            this(host, port, jwt, webhookSecret, sweepEvery, analyticsRefreshEvery, checkoutExpiry, demo, Optional.empty());
        }
    }

    /**
     * A streaming replica of the database for the reads that may be a moment old, while at most {@code maxLag}
     * behind: the reads' pool ({@code ConnectionPool.openReadReplica}) and the health check's
     * ({@code ConnectionPool.openReplicaCheck}); {@code description} names it in the log. The caller closes it.
     */
    public record ReadReplica(ConnectionPool pool, ConnectionPool check, Duration maxLag, String description)
            implements AutoCloseable {

        /** Both pools on the replica at {@code jdbcUrl}; {@code pooled}: reached through a transaction pooler. */
        public static ReadReplica open(String jdbcUrl, String user, String password, Duration maxLag, boolean pooled) {
            ConnectionPool check = ConnectionPool.openReplicaCheck(jdbcUrl, user, password, pooled);
            try {
                return new ReadReplica(ConnectionPool.openReadReplica(jdbcUrl, user, password, pooled), check, maxLag, jdbcUrl);
            } catch (RuntimeException e) {
                check.close();
                throw e;
            }
        }

        @Override
        public void close() {
            pool.close();
            check.close();
        }
    }

    private final Javalin http;
    private final ScheduledExecutorService background;
    private final ServingLease lease;

    private Application(Javalin http, ScheduledExecutorService background, ServingLease lease) {
        this.http = http;
        this.background = background;
        this.lease = lease;
    }

    public static Application start(ConnectionPool pool, Settings settings) {
        return start(pool, Optional.empty(), settings);
    }

    /** The application on {@code pool}, with a read replica if one is given. */
    public static Application start(ConnectionPool pool, Optional<ReadReplica> readReplica, Settings settings) {
        DataSource dataSource = pool.dataSource();
        // PostgreSQL keeps microseconds: a time the API answers with is then the time it stored.
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
        Sessions sessions = new Sessions(dataSource);
        TicketingPorts ports = MyBatisTicketingAdapter.create(sessions, clock);
        TicketingServices services = TicketingServices.wire(ports,
                CheckoutLimits.defaults().withExpiry(settings.checkoutExpiry()));

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        pool.publishMetricsTo(metrics);

        ServingLease lease = ServingLease.take(dataSource, "serve");
        if (settings.demo()) {
            try {
                Event demo = DemoData.load(services.events(), services.seats());
                LOG.info("demo event '{}' is {}", demo.details().title(), demo.id().value());
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
        }
        ScheduledExecutorService background = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "ticketing-background");
            thread.setDaemon(true);
            return thread;
        });
        Optional<ReadRouting.Replica> replica = readReplica.map(r -> replicaOf(r, sessions, clock, settings, metrics, background));
        ReadRouting reads = new ReadRouting(services, replica);
        ReadinessCheck readiness = readinessOf(dataSource);
        if (replica.isPresent()) {
            ReplicaHealth health = replica.get().health();
            ReadinessCheck primaryOnly = readiness;
            readiness = () -> primaryOnly.check().withReplica(readinessOf(health));
        }

        ApiDependencies dependencies = new ApiDependencies(useCases(services, reads, ports, sessions), lease, readiness,
                settings.jwt(), new PaymentWebhookSignature(settings.webhookSecret(), clock), metrics);
        Javalin http;
        try {
            http = ApiApplication.create(dependencies).start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            background.shutdownNow();
            lease.close();
            throw e;
        }
        var expired = metrics.counter("ticketing.checkouts.expired");
        var expiryFailed = metrics.counter("ticketing.checkouts.expiry.failed");
        every(background, lease, settings.sweepEvery(), "checkout expiry", () -> {
            ExpiryRun run;
            do {
                run = services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(Actor.system("expiry-sweeper"), EXPIRY_BATCH));
                expired.increment(run.expired().size());
                expiryFailed.increment(run.failed().size());
                run.failed().forEach((checkout, why) -> LOG.error("checkout {} could not be expired; the sweeper tries it again in {} "
                        + "(`./ticketing maintain` lists such checkouts): {}", checkout.value(), ExpireCheckoutsUseCase.RETRY_FAILED_AFTER, why));
            } while (run.expired().size() + run.failed().size() == EXPIRY_BATCH);
        });
        var cancellationFailed = metrics.counter("ticketing.event.cancellation.batch.failed");
        Map<EventId, Instant> cancellationFailedUntil = new ConcurrentHashMap<>();
        every(background, lease, settings.sweepEvery(), "event cancellations",
                () -> continueCancellations(services.cancellations(), clock, cancellationFailed, cancellationFailedUntil));
        settings.refundProvider().ifPresentOrElse(provider -> {
            RefundService refunds = new RefundService(ports.unitOfWork(), ports.clock(), ports.refundRequests(), provider);
            var sent = metrics.counter("ticketing.refunds.sent");
            var refundsFailed = metrics.counter("ticketing.refunds.failed");
            every(background, lease, settings.sweepEvery(), "refunds", () -> sendRefunds(refunds, sent, refundsFailed));
        }, () -> LOG.info("no payment provider for refunds is configured here: refund requests wait as REQUESTED"));
        AnalyticsRefresh analytics = new AnalyticsRefresh(sessions);
        every(background, lease, settings.analyticsRefreshEvery(), "sales analytics refresh", analytics::refreshUnlessRunningElsewhere);
        return new Application(http, background, lease);
    }

    /**
     * The replica's use cases, over ports of their own on the replica's pool, and its health, checked now and then
     * every {@link ReplicaHealth#CHECK_EVERY}; its lag, whether it is in use and which server answered each read that may
     * lag are metrics.
     */
    private static ReadRouting.Replica replicaOf(ReadReplica readReplica, Sessions primary, Clock clock, Settings settings,
                                                 MeterRegistry metrics, ScheduledExecutorService background) {
        Sessions sessions = new Sessions(readReplica.pool().dataSource());
        TicketingServices services = TicketingServices.wire(MyBatisTicketingAdapter.create(sessions, clock),
                CheckoutLimits.defaults().withExpiry(settings.checkoutExpiry()));
        ReplicaHealth health = new ReplicaHealth(new Sessions(readReplica.check().dataSource()), primary, readReplica.maxLag());
        readReplica.pool().publishMetricsTo(metrics);
        Gauge.builder("ticketing.replica.lag", health, h -> h.status().lag().map(lag -> lag.toNanos() / 1e9).orElse(Double.NaN))
                .baseUnit("seconds").description("How far the read replica was behind the primary at its last check (NaN: unknown)")
                .register(metrics);
        Gauge.builder("ticketing.replica.in.use", health, h -> h.status().inUse() ? 1 : 0)
                .description("1 while the read replica serves the reads that may lag, 0 while the primary does")
                .register(metrics);
        Counter servedByReplica = readsServedBy("replica", metrics);
        Counter servedByPrimary = readsServedBy("primary", metrics);
        Counter refusedSaturated = readsServedBy("none", metrics);
        ReplicaHealth.Status first = health.check();
        LOG.info("read replica {}: {} ({})", readReplica.description(), first.state().label(), first.detail());
        every(background, ServingGate.alwaysOpen(), ReplicaHealth.CHECK_EVERY, "read replica check", () -> {
            ReplicaHealth.State before = health.status().state();
            ReplicaHealth.Status now = health.check();
            if (now.state() != before) {
                LOG.warn("read replica {}: {} ({})", readReplica.description(), now.state().label(), now.detail());
            }
        });
        return new ReadRouting.Replica(services, health, readReplica.pool()::saturated, servedByReplica,
                servedByPrimary, refusedSaturated);
    }

    private static Counter readsServedBy(String server, MeterRegistry metrics) {
        return Counter.builder("ticketing.replica.reads").tag("served_by", server)
                .description("Reads that may lag (browsing, stats, analytics), by the server that answered them "
                        + "(none: refused while the replica was saturated)")
                .register(metrics);
    }

    private static ReadinessCheck.ReplicaReadiness readinessOf(ReplicaHealth health) {
        ReplicaHealth.Status status = health.status();
        return new ReadinessCheck.ReplicaReadiness(status.state().label(),
                status.lag().map(lag -> lag.toNanos() / 1e9).orElse(null), health.maxLag().toNanos() / 1e9, status.detail());
    }

    /**
     * The cascades of cancelled events, each run to its end in batches that hold their locks about
     * {@link FinishEventCancellationCommand#DEFAULT_BATCH_BUDGET} each: those the API started, and those an
     * instance or a `cancel-event` left unfinished. Several instances may run this at once: they take turns on
     * a cancellation, batch by batch (its row lock), and each batch continues where the last one committed.
     * Each cancellation is tried on its own: one whose batch fails is counted in {@code failed} and left out
     * for {@link #CANCELLATION_RETRY_FAILED_AFTER}, and the others go on.
     */
    private static void continueCancellations(ContinueEventCancellationUseCase cancellations, Clock clock, Counter failed,
                                              Map<EventId, Instant> failedUntil) {
        Instant now = clock.instant();
        failedUntil.values().removeIf(until -> !until.isAfter(now));
        // Asked for past those left out for now, so that failing ones never fill the list and starve the others.
        for (EventId eventId : cancellations.runningEventCancellations(CANCELLATION_WORKER, RUNNING_CANCELLATIONS + failedUntil.size())) {
            if (failedUntil.containsKey(eventId)) {
                continue;
            }
            EventCancellation progress;
            try {
                progress = cancellations.finishEventCancellation(new FinishEventCancellationCommand(CANCELLATION_WORKER, eventId), batch -> { });
            } catch (StorageUnavailableException unavailable) {
                throw unavailable; // the database, not this event: the whole run tries again
            } catch (RuntimeException e) {
                // One event whose batch keeps failing (rows written past the database's guards, say) must not hold
                // up the others: it is counted, named and left out for a while; the batches it committed stay.
                failed.increment();
                failedUntil.put(eventId, now.plus(CANCELLATION_RETRY_FAILED_AFTER));
                LOG.error("the cancellation of event {} failed a batch; the worker tries it again in {} and goes on with the others: {}",
                        eventId.value(), CANCELLATION_RETRY_FAILED_AFTER, e.toString());
                continue;
            }
            LOG.info("event {} cancelled: {} bookings cancelled, {} refunds requested, {} checkouts cancelled, {} seats blocked",
                    eventId.value(), progress.bookingsDone(), progress.refundsRequested(), progress.checkoutsDone(),
                    progress.seatsDone());
        }
    }

    /**
     * The refund outbox, sent to the payment provider batch by batch until nothing is due. Several instances may run
     * this at once: each claims its batch with SKIP LOCKED and a lease, and the provider deduplicates every resend by
     * the request's idempotency key.
     */
    private static void sendRefunds(SendRefundsUseCase refunds, Counter sent, Counter failed) {
        RefundRun run;
        do {
            run = refunds.sendDueRefunds(new SendRefundsCommand(REFUND_WORKER, SendRefundsUseCase.DEFAULT_BATCH_SIZE));
            sent.increment(run.sent());
            failed.increment(run.failed());
            if (run.failed() > 0) {
                LOG.error("{} refunds FAILED and need an operator (`ticketing.refund_request` rows with status FAILED and their last_error)",
                        run.failed());
            }
        } while (run.claimed() == SendRefundsUseCase.DEFAULT_BATCH_SIZE);
    }

    public int port() {
        return http.port();
    }

    /**
     * Stops taking requests, lets those in flight finish, stops the background work, then unregisters this instance.
     * The caller closes the pool.
     */
    @Override
    public void close() {
        http.stop();
        background.shutdownNow();
        try {
            background.awaitTermination(STOP_WORK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.close();
    }

    /** Runs {@code work} at a fixed delay while {@code serving} is open; a failure is logged and the next run tries again. */
    private static void every(ScheduledExecutorService scheduler, ServingGate serving, Duration delay, String name, Runnable work) {
        scheduler.scheduleWithFixedDelay(() -> {
            if (serving.closedBecause().isPresent()) {
                return;
            }
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed; it runs again in {}", name, delay, e);
            }
        }, delay.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The in-ports the API calls: the domain's services, and those over the request-keeping out-ports. */
    private static ApiUseCases useCases(TicketingServices services, ReadRouting reads, TicketingPorts ports, Sessions sessions) {
        EventService events = services.events();
        SeatService seats = services.seats();
        CheckoutService checkouts = services.checkouts();
        BookingService bookings = services.bookings();
        EventCancellationService cancellations = services.cancellations();
        return new ApiUseCases(reads, events, reads, events, events, events, cancellations, cancellations, events, events,
                reads, seats, seats,
                reads, reads,
                checkouts, checkouts, checkouts, checkouts,
                new PaymentWebhookService(ports.unitOfWork(), new WebhookEventRepository(sessions), ports.loadPaymentSession(),
                        services.paymentResults(),
                        new RefundResultService(ports.unitOfWork(), ports.clock(), ports.refundRequests(), ports.loadTicket(),
                                ports.saveTicket())),
                bookings, bookings, bookings, bookings, bookings, bookings, bookings, bookings,
                services.checkIn(),
                services.customers(),
                new ApiKeyService(new ApiKeyRepository(sessions)),
                new RequestService(ports.unitOfWork(), new IdempotencyRepository(sessions)),
                new AuditTrailService(new AuditLogRepository(sessions)));
    }

    private static ReadinessCheck readinessOf(DataSource dataSource) {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        return () -> {
            try (Connection connection = dataSource.getConnection()) {
                if (!connection.isValid(2)) {
                    return ReadinessCheck.Readiness.notReady("database not reachable");
                }
                try {
                    if (!migrator.isCurrent()) {
                        return ReadinessCheck.Readiness.notReady("schema migrations pending or invalid");
                    }
                } catch (RuntimeException e) {
                    return ReadinessCheck.Readiness.notReady("cannot read the schema history: " + e.getMessage());
                }
                return ReadinessCheck.Readiness.ok();
            } catch (SQLException e) {
                return ReadinessCheck.Readiness.notReady("database not reachable: " + e.getMessage());
            }
        };
    }
}
