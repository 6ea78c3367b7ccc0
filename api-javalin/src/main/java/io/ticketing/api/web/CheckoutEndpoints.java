package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.CheckoutView;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.port.in.AddSeatsToSessionCommand;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.service.TicketingServices;

import java.util.List;
import java.util.UUID;

/** Checkouts (payment sessions): a customer holds seats while paying. */
final class CheckoutEndpoints {

    record OpenCheckoutRequest(UUID eventId, List<UUID> seatIds) {
    }

    record AddSeatsRequest(List<UUID> seatIds) {
    }

    private final TicketingServices services;
    private final Callers callers;
    private final Requests requests;
    private final Idempotency idempotency;

    CheckoutEndpoints(TicketingServices services, Callers callers, Requests requests, Idempotency idempotency) {
        this.services = services;
        this.callers = callers;
        this.requests = requests;
        this.idempotency = idempotency;
    }

    void register(RoutesConfig routes) {
        routes.post("/payment-sessions", idempotency.wrap(this::open), Role.CUSTOMER);
        routes.get("/payment-sessions/{sessionId}", this::get, Role.CUSTOMER, Role.ADMIN);
        routes.post("/payment-sessions/{sessionId}/seats", idempotency.wrap(this::addSeats), Role.CUSTOMER);
        routes.post("/payment-sessions/{sessionId}/cancel", idempotency.wrap(this::cancel), Role.CUSTOMER, Role.ADMIN);
    }

    private void open(Context ctx) {
        OpenCheckoutRequest request = requests.body(ctx, OpenCheckoutRequest.class);
        if (request.eventId() == null) {
            throw ApiException.of(400, "invalid-value", "Bad request", "eventId is required.");
        }
        var actor = callers.actor(ctx);
        var session = services.checkouts().openCheckout(new OpenCheckoutCommand(actor, actor.customerId(),
                new EventId(request.eventId()), EventEndpoints.seatIds(request.seatIds())));
        ctx.status(201).header("Location", "/payment-sessions/" + session.id().value()).json(CheckoutView.of(session));
    }

    private void get(Context ctx) {
        var session = services.checkouts().getCheckout(new CheckoutCommand(callers.actor(ctx), sessionId(ctx)))
                .orElseThrow(() -> EventEndpoints.notFound("payment session", ctx.pathParam("sessionId")));
        ctx.json(CheckoutView.of(session));
    }

    private void addSeats(Context ctx) {
        AddSeatsRequest request = requests.body(ctx, AddSeatsRequest.class);
        ctx.json(CheckoutView.of(services.checkouts().addSeatsToSession(
                new AddSeatsToSessionCommand(callers.actor(ctx), sessionId(ctx), EventEndpoints.seatIds(request.seatIds())))));
    }

    private void cancel(Context ctx) {
        ctx.json(CheckoutView.of(services.checkouts().cancelCheckout(new CheckoutCommand(callers.actor(ctx), sessionId(ctx)))));
    }

    private static PaymentSessionId sessionId(Context ctx) {
        return new PaymentSessionId(Requests.id(ctx, "sessionId"));
    }
}
