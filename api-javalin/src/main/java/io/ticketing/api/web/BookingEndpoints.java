package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.BookingPageView;
import io.ticketing.api.web.Views.BookingView;
import io.ticketing.api.web.Views.SeatView;
import io.ticketing.api.web.Views.TicketView;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.TicketCode;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.ListCustomerBookingsQuery;
import io.ticketing.domain.port.in.TicketQuery;
import io.ticketing.domain.service.TicketingServices;

import java.util.UUID;

/** Bookings and their tickets: the customer's own, cancellation with refund, and check-in at the door. */
final class BookingEndpoints {

    record CheckInRequest(UUID eventId) {
    }

    private final TicketingServices services;
    private final Callers callers;
    private final Requests requests;
    private final Idempotency idempotency;

    BookingEndpoints(TicketingServices services, Callers callers, Requests requests, Idempotency idempotency) {
        this.services = services;
        this.callers = callers;
        this.requests = requests;
        this.idempotency = idempotency;
    }

    void register(RoutesConfig routes) {
        routes.get("/bookings", this::mine, Role.CUSTOMER);
        routes.get("/bookings/{bookingId}", this::get, Role.CUSTOMER, Role.ADMIN);
        routes.get("/bookings/{bookingId}/seats", ctx -> ctx.json(SeatView.of(services.bookings().getBookingSeats(command(ctx)))),
                Role.CUSTOMER, Role.ADMIN);
        routes.get("/bookings/{bookingId}/tickets", ctx -> ctx.json(TicketView.of(services.bookings().getBookingTickets(command(ctx)))),
                Role.CUSTOMER, Role.ADMIN);
        routes.post("/bookings/{bookingId}/cancel", idempotency.wrap(ctx ->
                ctx.json(view(ctx, services.bookings().cancelBooking(command(ctx))))), Role.CUSTOMER, Role.ADMIN);
        routes.post("/bookings/{bookingId}/review-done", ctx ->
                ctx.json(view(ctx, services.bookings().markBookingReviewed(command(ctx)))), Role.ADMIN);
        routes.get("/tickets/{code}", this::ticket, Role.CUSTOMER, Role.STAFF, Role.ADMIN);
        routes.post("/tickets/{code}/check-in", this::checkIn, Role.STAFF, Role.ADMIN);
    }

    private void mine(Context ctx) {
        var actor = callers.actor(ctx);
        UUID after = Requests.optionalUuidQuery(ctx, "after");
        var page = services.bookings().listCustomerBookings(new ListCustomerBookingsQuery(actor, actor.customerId(),
                after == null ? null : new BookingId(after), Requests.limit(ctx, 20)));
        ctx.json(new BookingPageView(page.bookings().stream().map(BookingView::of).toList(),
                page.nextAfter().map(BookingId::value).orElse(null)));
    }

    private void get(Context ctx) {
        var booking = services.bookings().getBooking(command(ctx))
                .orElseThrow(() -> EventEndpoints.notFound("booking", ctx.pathParam("bookingId")));
        ctx.json(view(ctx, booking));
    }

    /** Operators also see why a booking is marked for review; its customer does not. */
    private BookingView view(Context ctx, Booking booking) {
        return BookingView.of(booking, callers.actor(ctx).isOperator());
    }

    private void ticket(Context ctx) {
        var ticket = services.bookings().getTicket(new TicketQuery(callers.actor(ctx), new TicketCode(ctx.pathParam("code"))))
                .orElseThrow(() -> EventEndpoints.notFound("ticket", ctx.pathParam("code")));
        ctx.json(TicketView.of(ticket));
    }

    private void checkIn(Context ctx) {
        CheckInRequest request = requests.body(ctx, CheckInRequest.class);
        if (request.eventId() == null) {
            throw ApiException.of(400, "invalid-value", "Bad request", "eventId is required: the event at whose door the ticket is scanned.");
        }
        var ticket = services.checkIn().checkIn(new CheckInCommand(callers.actor(ctx), new EventId(request.eventId()),
                new TicketCode(ctx.pathParam("code"))));
        ctx.json(TicketView.of(ticket));
    }

    private BookingCommand command(Context ctx) {
        return new BookingCommand(callers.actor(ctx), new BookingId(Requests.id(ctx, "bookingId")));
    }
}
