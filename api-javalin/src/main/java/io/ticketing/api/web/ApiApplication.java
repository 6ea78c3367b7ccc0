package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.ticketing.api.web.problem.Problem;
import io.ticketing.api.web.problem.ProblemResponses;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.server.handler.GracefulHandler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.ticketing.api.web.auth.AccessControl;
import io.ticketing.api.web.auth.Authenticator;
import io.ticketing.domain.model.AnalyticsNotReadyException;
import io.ticketing.domain.model.DomainException;
import io.ticketing.domain.model.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;

/** Builds the HTTP API from its dependencies; the caller starts and stops it. */
public final class ApiApplication {

    private static final Logger LOG = LoggerFactory.getLogger(ApiApplication.class);
    static final long MAX_REQUEST_BYTES = 64 * 1024;
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private ApiApplication() {
    }

    /** The routes that never touch the database: they answer whether this instance may serve or not. */
    private static final Set<String> WITHOUT_DATABASE = Set.of("/health", "/ready", "/metrics", "/openapi.yaml", "/openapi.json", "/docs");

    private static void refuseUnlessServing(ServingGate serving, Context ctx) {
        if (WITHOUT_DATABASE.contains(ctx.path()) || ctx.path().startsWith("/docs/")) {
            return;
        }
        serving.closedBecause().ifPresent(why -> {
            ctx.header("Retry-After", "5");
            throw ApiException.of(503, "not-serving", "This server may not serve requests now: " + why + ".");
        });
    }

    public static Javalin create(ApiDependencies dependencies) {
        ObjectMapper json = StrictJson.mapper();
        ApiUseCases use = dependencies.useCases();
        Requests requests = new Requests(json);
        Callers callers = new Callers(use.registerCustomer());
        RequestTransaction writes = new RequestTransaction(use.requests(), callers, requests);
        AccessControl accessControl = new AccessControl(new Authenticator(use.findApiKey(), use.registerCustomer(), dependencies.customerTokens()));
        ApiDocumentation documentation = new ApiDocumentation();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Graceful stop: refuse new connections, let the requests in flight finish (for a while).
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                server.setErrorHandler(new ProblemErrorHandler(json));
            });
            config.jetty.modifyServletContextHandler(context -> context.insertHandler(new GracefulHandler()));
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // A path that exists with another method is 405 with Allow, not a 404 that says the path does not exist.
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(json, false));
            HeadAsGet routes = new HeadAsGet(config.routes);
            new RequestIds().register(config.routes);
            config.routes.before(AmbiguousRequests::refuseDotSegments);
            config.routes.before(AmbiguousRequests::refuseTransferCodings);
            new UnreadBodies().register(config.routes);
            new HttpMetrics(dependencies.metrics()).register(routes);
            config.routes.beforeMatched(ctx -> refuseUnlessServing(dependencies.serving(), ctx));
            config.routes.beforeMatched(AmbiguousRequests::refuseRepeatedHeaders);
            config.routes.beforeMatched(accessControl::check);
            config.routes.beforeMatched(new QueryParameters(documentation.json())::refuseUnknown);
            new HealthEndpoints(dependencies.serving(), dependencies.readiness()).register(routes);
            documentation.register(config, routes);
            new EventEndpoints(use.getUpcomingEvents(), use.createEvent(), use.getEvent(), use.editEvent(), use.deleteEvent(),
                    use.publishEvent(), use.cancelEvent(), use.getEventCancellation(), use.restoreEvent(), use.getAvailableSeats(), use.createSeats(),
                    use.blockSeats(), use.getEventStats(), callers, requests, writes).register(routes);
            new CheckoutEndpoints(use.openCheckout(), use.getCheckout(), use.addSeatsToSession(), use.cancelCheckout(),
                    callers, requests, writes).register(routes);
            new BookingEndpoints(use.listCustomerBookings(), use.getBooking(), use.getBookingSeats(), use.getBookingTickets(),
                    use.cancelBooking(), use.markBookingReviewed(), use.getTicket(), use.checkInTicket(),
                    callers, requests, writes).register(routes);
            new AnalyticsEndpoints(use.getEventSalesAnalytics(), callers, writes).register(routes);
            new AdminEndpoints(use.listEvents(), use.listBookingsToReview(), use.getAuditTrail(), callers).register(routes);
            new PaymentWebhookEndpoint(use.applyPaymentWebhook(), dependencies.webhookSignature(), requests,
                    dependencies.metrics()).register(routes);
            config.routes.exception(ApiException.class, (e, ctx) -> ProblemResponses.send(ctx, e.problem()));
            config.routes.exception(DomainException.class, (e, ctx) -> ProblemResponses.send(ctx, DomainProblems.of(e)));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() == 405 && e.getDetails().containsKey("availableMethods")) {
                    ctx.header("Allow", e.getDetails().get("availableMethods"));
                }
                ProblemResponses.send(ctx, Problem.ofHttpStatus(e.getStatus(), e.getMessage()));
            });
            config.routes.exception(StorageUnavailableException.class, (e, ctx) -> {
                // Not this request's fault nor a bug: the pool is exhausted or the connection was lost.
                LOG.warn("database unavailable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", "1");
                ProblemResponses.send(ctx, Problem.of(503, "database-unavailable", "The database cannot be reached right now; retry in a moment."));
            });
            config.routes.exception(AnalyticsNotReadyException.class, (e, ctx) -> {
                // The view was emptied (a restore, REFRESH … WITH NO DATA): no bug, and a refresh makes it answer.
                LOG.warn("sales analytics not ready on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                ProblemResponses.send(ctx, Problem.of(503, "analytics-not-ready", e.getMessage()));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (RequestBodies.refusalOf(e, null) instanceof ApiException refused) {
                    // The client's fault, met by a reader other than RequestBodies.read: nothing was done with the body.
                    LOG.debug("broken request body on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    ProblemResponses.send(ctx, refused.problem());
                    return;
                }
                LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                ProblemResponses.send(ctx, Problem.of(500, "internal-error", "The server could not complete the request; it has been logged."));
            });
        });
    }
}
