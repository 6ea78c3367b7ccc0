package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.EventCancellationView;
import io.ticketing.api.web.Views.UpcomingEventsView;
import io.ticketing.api.web.Views.EventStatsView;
import io.ticketing.api.web.Views.EventView;
import io.ticketing.api.web.Views.SeatPageView;
import io.ticketing.api.web.Views.SeatView;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.in.AvailableSeatsQuery;
import io.ticketing.domain.port.in.BlockSeatsUseCase;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.CancelEventUseCase;
import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.CreateEventUseCase;
import io.ticketing.domain.port.in.CreateSeatsUseCase;
import io.ticketing.domain.port.in.DeleteEventUseCase;
import io.ticketing.domain.port.in.EditEventUseCase;
import io.ticketing.domain.port.in.GetAvailableSeatsUseCase;
import io.ticketing.domain.port.in.GetEventCancellationUseCase;
import io.ticketing.domain.port.in.GetEventStatsUseCase;
import io.ticketing.domain.port.in.GetEventUseCase;
import io.ticketing.domain.port.in.GetUpcomingEventsUseCase;
import io.ticketing.domain.port.in.PublishEventUseCase;
import io.ticketing.domain.port.in.RestoreEventUseCase;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.EditEventCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetUpcomingEventsQuery;
import io.ticketing.domain.port.in.SeatAdminCommand;
import io.ticketing.domain.port.in.SeatBlock;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** Events and their seats: public browsing, and the admin's lifecycle and seat map. */
final class EventEndpoints {

    /** No version: a new event has none yet, and a field that would be ignored is refused (unknown-field). */
    record CreateEventRequest(String title, String description, String venue, Instant startsAt, Instant endsAt, String currency) {
    }

    record EditEventRequest(String title, String description, String venue, Instant startsAt, Instant endsAt, String currency,
                            Long version) {
    }

    /** Why the event is cancelled: required, at most 500 characters (the customers' refunds carry it). */
    record CancelEventRequest(String reason) {
    }

    record SeatBlockRequest(String section, List<String> rows, int firstNumber, int lastNumber, BigDecimal price) {
    }

    record SeatsRequest(List<SeatBlockRequest> blocks) {
    }

    record SeatIdsRequest(List<UUID> seatIds) {
    }

    /** Seats per page of the seat map unless the client asks for another size (up to AvailableSeatsQuery.MAX_LIMIT). */
    static final int SEAT_PAGE_SIZE = 100;

    private final GetUpcomingEventsUseCase getUpcomingEvents;
    private final CreateEventUseCase createEvent;
    private final GetEventUseCase getEvent;
    private final EditEventUseCase editEvent;
    private final DeleteEventUseCase deleteEvent;
    private final PublishEventUseCase publishEvent;
    private final CancelEventUseCase cancelEvent;
    private final GetEventCancellationUseCase getEventCancellation;
    private final RestoreEventUseCase restoreEvent;
    private final GetAvailableSeatsUseCase getAvailableSeats;
    private final CreateSeatsUseCase createSeats;
    private final BlockSeatsUseCase blockSeats;
    private final GetEventStatsUseCase getEventStats;
    private final Callers callers;
    private final Requests requests;
    private final RequestTransaction writes;

    EventEndpoints(GetUpcomingEventsUseCase getUpcomingEvents, CreateEventUseCase createEvent,
                   GetEventUseCase getEvent, EditEventUseCase editEvent, DeleteEventUseCase deleteEvent,
                   PublishEventUseCase publishEvent, CancelEventUseCase cancelEvent,
                   GetEventCancellationUseCase getEventCancellation, RestoreEventUseCase restoreEvent, GetAvailableSeatsUseCase getAvailableSeats,
                   CreateSeatsUseCase createSeats, BlockSeatsUseCase blockSeats, GetEventStatsUseCase getEventStats,
                   Callers callers, Requests requests, RequestTransaction writes) {
        this.getUpcomingEvents = getUpcomingEvents;
        this.createEvent = createEvent;
        this.getEvent = getEvent;
        this.editEvent = editEvent;
        this.deleteEvent = deleteEvent;
        this.publishEvent = publishEvent;
        this.cancelEvent = cancelEvent;
        this.getEventCancellation = getEventCancellation;
        this.restoreEvent = restoreEvent;
        this.getAvailableSeats = getAvailableSeats;
        this.createSeats = createSeats;
        this.blockSeats = blockSeats;
        this.getEventStats = getEventStats;
        this.callers = callers;
        this.requests = requests;
        this.writes = writes;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.get("/events", this::upcoming, Role.ANONYMOUS);
        routes.post("/events", writes.wrap(this::create), Role.ADMIN);
        routes.get("/events/{eventId}", this::get, Role.ANONYMOUS);
        routes.put("/events/{eventId}", writes.wrap(this::edit), Role.ADMIN);
        routes.delete("/events/{eventId}", writes.wrapWithoutBody(ctx -> ctx.json(EventView.of(deleteEvent.deleteEvent(command(ctx))))), Role.ADMIN);
        routes.post("/events/{eventId}/publish", writes.wrapWithoutBody(ctx -> ctx.json(EventView.of(publishEvent.publishEvent(command(ctx))))), Role.ADMIN);
        routes.post("/events/{eventId}/cancel", writes.wrap(this::cancel), Role.ADMIN);
        routes.get("/events/{eventId}/cancellation", this::cancellation, Role.ADMIN);
        routes.post("/events/{eventId}/restore", writes.wrapWithoutBody(ctx -> ctx.json(EventView.of(restoreEvent.restoreEvent(command(ctx))))), Role.ADMIN);
        routes.get("/events/{eventId}/seats", this::availableSeats, Role.ANONYMOUS);
        routes.post("/events/{eventId}/seats", writes.wrap(this::postSeats), Role.ADMIN);
        routes.post("/events/{eventId}/seats/block", writes.wrap(ctx -> ctx.json(SeatView.of(blockSeats.blockSeats(seatAdmin(ctx))))), Role.ADMIN);
        routes.post("/events/{eventId}/seats/unblock", writes.wrap(ctx -> ctx.json(SeatView.of(blockSeats.unblockSeats(seatAdmin(ctx))))), Role.ADMIN);
        routes.get("/events/{eventId}/stats", this::stats, Role.ADMIN, Role.STAFF);
    }

    private void upcoming(Context ctx) {
        var page = getUpcomingEvents.getUpcomingEvents(new GetUpcomingEventsQuery(UpcomingEventsCursor.after(ctx),
                Requests.limit(ctx, GetUpcomingEventsQuery.DEFAULT_LIMIT)));
        ctx.json(new UpcomingEventsView(page.events().stream().map(EventView::of).toList(), UpcomingEventsCursor.next(page)));
    }

    private void create(Context ctx) {
        CreateEventRequest request = requests.body(ctx, CreateEventRequest.class);
        if (request.currency() == null) {
            throw ApiException.of(400, "invalid-value", "currency is required (an ISO 4217 code such as EUR).");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(request.currency());
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "invalid-value", "'" + request.currency() + "' is not an ISO 4217 currency code.");
        }
        var event = createEvent.createEvent(new CreateEventCommand(callers.actor(ctx), EventDetails.given(request.title(),
                request.description(), request.venue(), request.startsAt(), request.endsAt()), currency));
        ctx.status(201).header("Location", "/events/" + event.id().value()).json(EventView.of(event));
    }

    private void get(Context ctx) {
        var event = getEvent.getEvent(new EventQuery(callers.actor(ctx), eventId(ctx)))
                .orElseThrow(() -> ApiException.notFound("event", ctx.pathParam("eventId")));
        ctx.json(EventView.of(event));
    }

    private void edit(Context ctx) {
        EditEventRequest request = requests.body(ctx, EditEventRequest.class);
        if (request.version() == null) {
            throw ApiException.of(400, "invalid-value", "version is required: send the version you read, so that a concurrent edit is not overwritten.");
        }
        if (request.currency() != null) {
            // The currency is fixed at creation (prices, checkouts and refunds are in it): sent unchanged it is
            // harmless, sent changed it would otherwise be silently ignored.
            var event = getEvent.getEvent(new EventQuery(callers.actor(ctx), eventId(ctx)))
                    .orElseThrow(() -> ApiException.notFound("event", ctx.pathParam("eventId")));
            if (!event.currency().getCurrencyCode().equals(request.currency())) {
                throw ApiException.of(422, "currency-immutable", "The event's currency is "
                        + event.currency().getCurrencyCode() + ", fixed at creation; leave currency out or send it unchanged.");
            }
        }
        ctx.json(EventView.of(editEvent.editEvent(
                new EditEventCommand(callers.actor(ctx), eventId(ctx), request.version(), EventDetails.given(request.title(),
                        request.description(), request.venue(), request.startsAt(), request.endsAt())))));
    }

    /**
     * Cancels the event and starts its cascade, which the server's worker (or `ticketing cancel-event`) runs in
     * batches after this request: 202, with where to follow it. Asked again, answers the cancellation as it is.
     */
    private void cancel(Context ctx) {
        CancelEventRequest request = requests.body(ctx, CancelEventRequest.class);
        var cancellation = cancelEvent.cancelEvent(new CancelEventCommand(callers.actor(ctx), eventId(ctx), request.reason()));
        ctx.status(202).header("Location", "/events/" + cancellation.eventId().value() + "/cancellation")
                .json(EventCancellationView.of(cancellation));
    }

    private void cancellation(Context ctx) {
        var cancellation = getEventCancellation.getEventCancellation(new EventQuery(callers.actor(ctx), eventId(ctx)))
                .orElseThrow(() -> ApiException.notFound("cancellation of event", ctx.pathParam("eventId")));
        ctx.json(EventCancellationView.of(cancellation));
    }

    /** The seat map a page at a time: an event may have 100,000 seats, too many for one answer to anyone who asks. */
    private void availableSeats(Context ctx) {
        EventId eventId = eventId(ctx);
        UUID after = Requests.optionalCursor(ctx, "after");
        int limit = Requests.limit(ctx, SEAT_PAGE_SIZE, AvailableSeatsQuery.MAX_LIMIT);
        ctx.json(SeatPageView.of(getAvailableSeats.getAvailableSeats(new AvailableSeatsQuery(callers.actor(ctx), eventId,
                after == null ? null : new SeatId(after), limit))));
    }

    private void postSeats(Context ctx) {
        SeatsRequest request = requests.body(ctx, SeatsRequest.class);
        if (request.blocks() == null || request.blocks().isEmpty()) {
            throw ApiException.of(400, "invalid-value", "blocks must list at least one block of seats.");
        }
        List<SeatBlock> blocks = request.blocks().stream()
                .map(b -> new SeatBlock(b.section(), b.rows(), b.firstNumber(), b.lastNumber(), b.price()))
                .toList();
        ctx.status(201).json(SeatView.of(createSeats.createSeats(new CreateSeatsCommand(callers.actor(ctx), eventId(ctx), blocks))));
    }

    private void stats(Context ctx) {
        var summary = getEventStats.getEventStats(new EventQuery(callers.actor(ctx), eventId(ctx)))
                .orElseThrow(() -> ApiException.notFound("event", ctx.pathParam("eventId")));
        ctx.json(EventStatsView.of(summary));
    }

    private SeatAdminCommand seatAdmin(Context ctx) {
        SeatIdsRequest request = requests.body(ctx, SeatIdsRequest.class);
        return new SeatAdminCommand(callers.actor(ctx), eventId(ctx), Requests.seatIds(request.seatIds()));
    }

    private EventCommand command(Context ctx) {
        return new EventCommand(callers.actor(ctx), eventId(ctx));
    }

    private static EventId eventId(Context ctx) {
        return new EventId(Requests.id(ctx, "eventId"));
    }
}
