package io.ticketing.api.web;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import io.ticketing.api.web.auth.Role;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health}: the process is up. {@code /ready}: it can serve requests. */
final class HealthEndpoints {

    private final ServingGate serving;
    private final ReadinessCheck readiness;

    HealthEndpoints(ServingGate serving, ReadinessCheck readiness) {
        this.serving = serving;
        this.readiness = readiness;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.get("/health", this::health, Role.ANONYMOUS);
        routes.get("/ready", this::ready, Role.ANONYMOUS);
    }

    private void health(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    private void ready(Context ctx) {
        ReadinessCheck.Readiness result = serving.closedBecause().map(ReadinessCheck.Readiness::notReady)
                .orElseGet(readiness::check);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.isReady() ? "READY" : "NOT_READY");
        body.put("detail", result.detail());
        result.replica().ifPresent(replica -> body.put("replica", replica));
        ctx.status(result.isReady() ? 200 : 503).json(body);
    }
}
