package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.router.JavalinDefaultRoutingApi;
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
import io.ticketing.domain.port.in.CancelBookingUseCase;
import io.ticketing.domain.port.in.CheckInTicketUseCase;
import io.ticketing.domain.port.in.GetBookingSeatsUseCase;
import io.ticketing.domain.port.in.GetBookingTicketsUseCase;
import io.ticketing.domain.port.in.GetBookingUseCase;
import io.ticketing.domain.port.in.GetTicketUseCase;
import io.ticketing.domain.port.in.ListCustomerBookingsUseCase;
import io.ticketing.domain.port.in.MarkBookingReviewedUseCase;

import java.util.UUID;

/** Bookings and their tickets: the customer's own, cancellation with refund, and check-in at the door. */
final class BookingEndpoints {

    record CheckInRequest(UUID eventId) {
    }

    private final ListCustomerBookingsUseCase listCustomerBookings;
    private final GetBookingUseCase getBooking;
    private final GetBookingSeatsUseCase getBookingSeats;
    private final GetBookingTicketsUseCase getBookingTickets;
    private final CancelBookingUseCase cancelBooking;
    private final MarkBookingReviewedUseCase markBookingReviewed;
    private final GetTicketUseCase getTicket;
    private final CheckInTicketUseCase checkInTicket;
    private final Callers callers;
    private final Requests requests;
    private final RequestTransaction writes;

    BookingEndpoints(ListCustomerBookingsUseCase listCustomerBookings, GetBookingUseCase getBooking,
                     GetBookingSeatsUseCase getBookingSeats, GetBookingTicketsUseCase getBookingTickets,
                     CancelBookingUseCase cancelBooking, MarkBookingReviewedUseCase markBookingReviewed,
                     GetTicketUseCase getTicket, CheckInTicketUseCase checkInTicket, Callers callers,
                     Requests requests, RequestTransaction writes) {
        this.listCustomerBookings = listCustomerBookings;
        this.getBooking = getBooking;
        this.getBookingSeats = getBookingSeats;
        this.getBookingTickets = getBookingTickets;
        this.cancelBooking = cancelBooking;
        this.markBookingReviewed = markBookingReviewed;
        this.getTicket = getTicket;
        this.checkInTicket = checkInTicket;
        this.callers = callers;
        this.requests = requests;
        this.writes = writes;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.get("/bookings", this::mine, Role.CUSTOMER);
        routes.get("/bookings/{bookingId}", this::get, Role.CUSTOMER, Role.ADMIN);
        routes.get("/bookings/{bookingId}/seats", ctx -> ctx.json(SeatView.of(getBookingSeats.getBookingSeats(command(ctx)))),
                Role.CUSTOMER, Role.ADMIN);
        routes.get("/bookings/{bookingId}/tickets", ctx -> ctx.json(TicketView.of(getBookingTickets.getBookingTickets(command(ctx)))),
                Role.CUSTOMER, Role.ADMIN);
        routes.post("/bookings/{bookingId}/cancel", writes.wrapWithoutBody(ctx ->
                ctx.json(view(ctx, cancelBooking.cancelBooking(command(ctx))))), Role.CUSTOMER, Role.ADMIN);
        routes.post("/bookings/{bookingId}/review-done", writes.wrapWithoutBody(ctx ->
                ctx.json(view(ctx, markBookingReviewed.markBookingReviewed(command(ctx))))), Role.ADMIN);
        routes.get("/tickets/{code}", this::ticket, Role.CUSTOMER, Role.STAFF, Role.ADMIN);
        routes.post("/tickets/{code}/check-in", writes.wrap(this::checkIn), Role.STAFF, Role.ADMIN);
    }

    private void mine(Context ctx) {
        var actor = callers.actor(ctx);
        UUID after = Requests.optionalCursor(ctx, "after");
        var page = listCustomerBookings.listCustomerBookings(new ListCustomerBookingsQuery(actor, actor.customerId(),
                after == null ? null : new BookingId(after), Requests.limit(ctx, 20)));
        ctx.json(new BookingPageView(page.bookings().stream().map(BookingView::of).toList(),
                page.nextAfter().map(BookingId::value).orElse(null)));
    }

    private void get(Context ctx) {
        var booking = getBooking.getBooking(command(ctx))
                .orElseThrow(() -> ApiException.notFound("booking", ctx.pathParam("bookingId")));
        ctx.json(view(ctx, booking));
    }

    /** Operators also see why a booking is marked for review; its customer does not. */
    private BookingView view(Context ctx, Booking booking) {
        return BookingView.of(booking, callers.actor(ctx).isOperator());
    }

    private void ticket(Context ctx) {
        var ticket = getTicket.getTicket(new TicketQuery(callers.actor(ctx), new TicketCode(ctx.pathParam("code"))))
                .orElseThrow(() -> ApiException.notFound("ticket", ctx.pathParam("code")));
        ctx.json(TicketView.of(ticket));
    }

    private void checkIn(Context ctx) {
        CheckInRequest request = requests.body(ctx, CheckInRequest.class);
        if (request.eventId() == null) {
            throw ApiException.of(400, "invalid-value", "eventId is required: the event at whose door the ticket is scanned.");
        }
        var ticket = checkInTicket.checkIn(new CheckInCommand(callers.actor(ctx), new EventId(request.eventId()),
                new TicketCode(ctx.pathParam("code"))));
        ctx.json(TicketView.of(ticket));
    }

    private BookingCommand command(Context ctx) {
        return new BookingCommand(callers.actor(ctx), new BookingId(Requests.id(ctx, "bookingId")));
    }
}
