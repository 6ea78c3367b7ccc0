package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.CheckoutView;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.port.in.AddSeatsToSessionCommand;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.AddSeatsToSessionUseCase;
import io.ticketing.domain.port.in.CancelCheckoutUseCase;
import io.ticketing.domain.port.in.GetCheckoutUseCase;
import io.ticketing.domain.port.in.OpenCheckoutUseCase;

import java.util.List;
import java.util.UUID;

/** Checkouts (payment sessions): a customer holds seats while paying. */
final class CheckoutEndpoints {

    record OpenCheckoutRequest(UUID eventId, List<UUID> seatIds) {
    }

    record AddSeatsRequest(List<UUID> seatIds) {
    }

    private final OpenCheckoutUseCase openCheckout;
    private final GetCheckoutUseCase getCheckout;
    private final AddSeatsToSessionUseCase addSeatsToSession;
    private final CancelCheckoutUseCase cancelCheckout;
    private final Callers callers;
    private final Requests requests;
    private final RequestTransaction writes;

    CheckoutEndpoints(OpenCheckoutUseCase openCheckout, GetCheckoutUseCase getCheckout,
                      AddSeatsToSessionUseCase addSeatsToSession, CancelCheckoutUseCase cancelCheckout,
                      Callers callers, Requests requests, RequestTransaction writes) {
        this.openCheckout = openCheckout;
        this.getCheckout = getCheckout;
        this.addSeatsToSession = addSeatsToSession;
        this.cancelCheckout = cancelCheckout;
        this.callers = callers;
        this.requests = requests;
        this.writes = writes;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.post("/payment-sessions", writes.wrap(this::open), Role.CUSTOMER);
        routes.get("/payment-sessions/{sessionId}", this::get, Role.CUSTOMER, Role.ADMIN);
        routes.post("/payment-sessions/{sessionId}/seats", writes.wrap(this::addSeats), Role.CUSTOMER);
        routes.post("/payment-sessions/{sessionId}/cancel", writes.wrapWithoutBody(this::cancel), Role.CUSTOMER, Role.ADMIN);
    }

    private void open(Context ctx) {
        OpenCheckoutRequest request = requests.body(ctx, OpenCheckoutRequest.class);
        if (request.eventId() == null) {
            throw ApiException.of(400, "invalid-value", "eventId is required.");
        }
        var actor = callers.actor(ctx);
        var session = openCheckout.openCheckout(new OpenCheckoutCommand(actor, actor.customerId(),
                new EventId(request.eventId()), Requests.seatIds(request.seatIds())));
        ctx.status(201).header("Location", "/payment-sessions/" + session.id().value()).json(CheckoutView.of(session));
    }

    private void get(Context ctx) {
        var session = getCheckout.getCheckout(new CheckoutCommand(callers.actor(ctx), sessionId(ctx)))
                .orElseThrow(() -> ApiException.notFound("payment session", ctx.pathParam("sessionId")));
        ctx.json(CheckoutView.of(session));
    }

    private void addSeats(Context ctx) {
        AddSeatsRequest request = requests.body(ctx, AddSeatsRequest.class);
        ctx.json(CheckoutView.of(addSeatsToSession.addSeatsToSession(
                new AddSeatsToSessionCommand(callers.actor(ctx), sessionId(ctx), Requests.seatIds(request.seatIds())))));
    }

    private void cancel(Context ctx) {
        ctx.json(CheckoutView.of(cancelCheckout.cancelCheckout(new CheckoutCommand(callers.actor(ctx), sessionId(ctx)))));
    }

    private static PaymentSessionId sessionId(Context ctx) {
        return new PaymentSessionId(Requests.id(ctx, "sessionId"));
    }
}
