package io.ticketing.api.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.SalesRowView;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.service.TicketingServices;

/** Sales analytics from the materialized view: as of its last refresh, or refreshed on demand. */
final class AnalyticsEndpoints {

    private final TicketingServices services;
    private final Callers callers;

    AnalyticsEndpoints(TicketingServices services, Callers callers) {
        this.services = services;
        this.callers = callers;
    }

    void register(RoutesConfig routes) {
        routes.get("/analytics/sales", ctx -> sales(ctx, "true".equalsIgnoreCase(ctx.queryParam("refresh"))), Role.ADMIN);
        routes.post("/analytics/sales/refresh", ctx -> sales(ctx, true), Role.ADMIN);
    }

    private void sales(Context ctx, boolean refreshFirst) {
        ctx.json(services.statistics().getEventSalesAnalytics(new SalesAnalyticsQuery(callers.actor(ctx), refreshFirst))
                .stream().map(SalesRowView::of).toList());
    }
}
