package io.ticketing.api.web;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.SalesRowView;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.in.GetEventSalesAnalyticsUseCase;

/** Sales analytics from the materialized view: as of its last refresh, or refreshed on demand. */
final class AnalyticsEndpoints {

    private final GetEventSalesAnalyticsUseCase getEventSalesAnalytics;
    private final Callers callers;
    private final RequestTransaction writes;

    AnalyticsEndpoints(GetEventSalesAnalyticsUseCase getEventSalesAnalytics, Callers callers, RequestTransaction writes) {
        this.getEventSalesAnalytics = getEventSalesAnalytics;
        this.callers = callers;
        this.writes = writes;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.get("/analytics/sales", ctx -> sales(ctx, Requests.flag(ctx, "refresh")), Role.ADMIN);
        routes.post("/analytics/sales/refresh", writes.wrapWithoutBody(ctx -> sales(ctx, true)), Role.ADMIN);
    }

    private void sales(Context ctx, boolean refreshFirst) {
        ctx.json(getEventSalesAnalytics.getEventSalesAnalytics(new SalesAnalyticsQuery(callers.actor(ctx), refreshFirst))
                .stream().map(SalesRowView::of).toList());
    }
}
