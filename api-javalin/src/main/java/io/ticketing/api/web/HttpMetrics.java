package io.ticketing.api.web;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketing.api.web.auth.Role;

/**
 * Prometheus metrics at {@code /metrics}: every request's duration by method, route template and
 * status ({@code http_server_requests_seconds}), plus whatever else the application registers
 * (connection pool, bookings, expiries, JVM).
 */
final class HttpMetrics {

    private static final String STARTED = "ticketing.request-started";

    private final PrometheusMeterRegistry registry;

    HttpMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        routes.after(this::record);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()),
                Role.ANONYMOUS);
    }

    private void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                // The route's template, not the concrete path, so that ids do not multiply the series.
                .tag("route", routeOf(ctx))
                .tag("status", String.valueOf(ctx.status().getCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The route that answered: in an after-handler, ctx.endpoint() is the after-handler's own "*". */
    private static String routeOf(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        return matched == null ? "unmatched" : matched.path;
    }
}
