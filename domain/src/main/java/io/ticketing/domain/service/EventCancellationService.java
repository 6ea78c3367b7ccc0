package io.ticketing.domain.service;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.EventChangePolicy;
import io.ticketing.domain.policy.Policy;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.CancelEventUseCase;
import io.ticketing.domain.port.in.ContinueEventCancellationCommand;
import io.ticketing.domain.port.in.ContinueEventCancellationUseCase;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetEventCancellationUseCase;
import io.ticketing.domain.port.out.EventCancellationPort;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.LoadPaymentSessionPort;
import io.ticketing.domain.port.out.LoadTicketPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveBookingPort;
import io.ticketing.domain.port.out.SaveEventPort;
import io.ticketing.domain.port.out.SavePaymentSessionPort;
import io.ticketing.domain.port.out.SaveTicketPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Cancelling an event: the event and its cancellation record in one unit of work, then the cascade in batches.
 *
 * <p>A batch undoes, in this order, whatever the event still has: bookings (a PENDING one with the checkout
 * still paying for it, a CONFIRMED one with its VALID tickets and a refund request), then OPEN or PROCESSING
 * checkouts, then AVAILABLE seats. Every seat it frees is BLOCKED in the same unit of work, so the seat rules
 * hold at each commit. A USED ticket stays USED (the holder came in; it is history), and its booking is
 * refunded all the same: the event did not take place.
 */
public class EventCancellationService extends ServiceSupport implements CancelEventUseCase,
        ContinueEventCancellationUseCase, GetEventCancellationUseCase {

    private final LoadEventPort loadEvent;
    private final SaveEventPort saveEvent;
    private final LoadPaymentSessionPort loadPaymentSession;
    private final SavePaymentSessionPort savePaymentSession;
    private final SaveBookingPort saveBooking;
    private final LoadTicketPort loadTicket;
    private final SaveTicketPort saveTicket;
    private final EventCancellationPort eventCancellation;
    private final RefundRequestPort refundRequests;
    private final SeatMoves seatMoves;

    public EventCancellationService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, SaveEventPort saveEvent, SeatTransitionPort seatTransition, LoadPaymentSessionPort loadPaymentSession, SavePaymentSessionPort savePaymentSession, SaveBookingPort saveBooking, LoadTicketPort loadTicket, SaveTicketPort saveTicket, EventCancellationPort eventCancellation, RefundRequestPort refundRequests) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.saveEvent = Objects.requireNonNull(saveEvent, "saveEvent");
        this.loadPaymentSession = Objects.requireNonNull(loadPaymentSession, "loadPaymentSession");
        this.savePaymentSession = Objects.requireNonNull(savePaymentSession, "savePaymentSession");
        this.saveBooking = Objects.requireNonNull(saveBooking, "saveBooking");
        this.loadTicket = Objects.requireNonNull(loadTicket, "loadTicket");
        this.saveTicket = Objects.requireNonNull(saveTicket, "saveTicket");
        this.eventCancellation = Objects.requireNonNull(eventCancellation, "eventCancellation");
        this.refundRequests = Objects.requireNonNull(refundRequests, "refundRequests");
        this.seatMoves = new SeatMoves(seatTransition);
    }

    @Override
    public EventCancellation cancelEvent(CancelEventCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // The exclusive lock makes checkouts of this event wait: once it is released they see it cancelled.
            Event event = existingEvent(loadEvent, command.eventId(), RowLock.EXCLUSIVE);
            Optional<EventCancellation> existing = eventCancellation.loadEventCancellation(event.id(), RowLock.EXCLUSIVE);
            if (existing.isPresent()) {
                return existing.get();
            }
            Policy.firstRejection(EventChangePolicy.allCurrentPolicies(), event).orThrow();
            if (event.status() != EventStatus.CANCELLED) {
                saveEvent.updateEvent(event.cancel());
            }
            EventCancellation started = EventCancellation.start(event.id(), command.reason(), command.actor(), now(),
                    eventCancellation.countCancellationWork(event.id()));
            eventCancellation.insertEventCancellation(started);
            return started;
        });
    }

    @Override
    public EventCancellation continueEventCancellation(ContinueEventCancellationCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // Runners of the same cancellation take turns here; each then sees what the previous batch committed.
            EventCancellation progress = eventCancellation.loadEventCancellation(command.eventId(), RowLock.EXCLUSIVE)
                    .orElseThrow(() -> new NotFoundException("EventCancellation", command.eventId()));
            if (progress.isDone()) {
                return progress;
            }
            EventCancellation next = batch(progress, command.batchSize(), now());
            eventCancellation.updateEventCancellation(next);
            return next;
        });
    }

    @Override
    public List<EventId> runningEventCancellations(Actor actor, int limit) {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.check(limit >= 1, "limit must be positive");
        AccessPolicy.mayOperate(actor).orThrow();
        return inUnitOfWork(actor, () -> eventCancellation.loadRunningEventCancellations(limit));
    }

    @Override
    public Optional<EventCancellation> getEventCancellation(EventQuery query) {
        InvalidValueException.required(query, "query");
        AccessPolicy.mayOperate(query.requester()).orThrow();
        return inUnitOfWork(query.requester(), () -> eventCancellation.loadEventCancellation(query.eventId(), RowLock.NONE));
    }

    private EventCancellation batch(EventCancellation progress, int size, Instant now) {
        EventId eventId = progress.eventId();
        List<Booking> bookings = eventCancellation.loadActiveBookingsOfEvent(eventId, size);
        if (!bookings.isEmpty()) {
            return cancelBookings(progress, bookings, now);
        }
        List<PaymentSession> checkouts = eventCancellation.loadActivePaymentSessionsOfEvent(eventId, size);
        if (!checkouts.isEmpty()) {
            Set<SeatId> held = new LinkedHashSet<>();
            for (PaymentSession checkout : checkouts) {
                // A checkout with a booking is a PROCESSING one whose booking a late report created after the
                // bookings were taken: the seat rules then refuse this batch at commit, and the next one takes
                // that booking first.
                savePaymentSession.updatePaymentSession(checkout.cancel(), checkout.status());
                held.addAll(checkout.seatIds());
            }
            block(eventId, held, Set.of());
            return progress.afterBatch(0, checkouts.size(), held.size(), 0);
        }
        List<SeatId> available = eventCancellation.loadAvailableSeatIds(eventId, size);
        if (!available.isEmpty()) {
            seatMoves.moveOwnedSeats("EventCancellation " + eventId, eventId, available, SeatStatus.AVAILABLE, SeatStatus.BLOCKED);
            return progress.afterBatch(0, 0, available.size(), 0);
        }
        return progress.finish(now);
    }

    private EventCancellation cancelBookings(EventCancellation progress, List<Booking> bookings, Instant now) {
        Set<SeatId> reserved = new LinkedHashSet<>();
        Set<SeatId> booked = new LinkedHashSet<>();
        long checkouts = 0;
        long refunds = 0;
        for (Booking booking : bookings) {
            Booking cancelled = booking.cancel(now);
            saveBooking.updateBooking(cancelled, booking.status());
            if (booking.status() == BookingStatus.CONFIRMED) {
                booked.addAll(booking.seatIds());
                for (Ticket ticket : loadTicket.loadTicketsOfBooking(booking.id())) {
                    if (ticket.status() == TicketStatus.VALID) {
                        saveTicket.updateTicket(ticket.cancel(), TicketStatus.VALID);
                    }
                }
                if (refundRequests.insertRefundRequest(RefundRequest.of(cancelled, progress.reason(), now))) {
                    refunds++;
                }
            } else {
                reserved.addAll(booking.seatIds());
                // A PENDING booking's checkout is PROCESSING and holds the same seats: it ends with its booking.
                Optional<PaymentSession> paying = booking.paymentSessionId()
                        .flatMap(id -> loadPaymentSession.loadPaymentSession(id, RowLock.EXCLUSIVE))
                        .filter(checkout -> checkout.status().holdsSeats());
                if (paying.isPresent()) {
                    savePaymentSession.updatePaymentSession(paying.get().cancel(), paying.get().status());
                    reserved.addAll(paying.get().seatIds());
                    checkouts++;
                }
            }
        }
        block(progress.eventId(), reserved, booked);
        return progress.afterBatch(bookings.size(), checkouts, reserved.size() + booked.size(), refunds);
    }

    /** Seats whose claims this unit of work released: RESERVED or BOOKED, through AVAILABLE, to BLOCKED. */
    private void block(EventId eventId, Set<SeatId> reserved, Set<SeatId> booked) {
        String owner = "EventCancellation " + eventId;
        if (!reserved.isEmpty()) {
            seatMoves.moveOwnedSeats(owner, eventId, reserved, SeatStatus.RESERVED, SeatStatus.AVAILABLE);
        }
        if (!booked.isEmpty()) {
            seatMoves.moveOwnedSeats(owner, eventId, booked, SeatStatus.BOOKED, SeatStatus.AVAILABLE);
        }
        Set<SeatId> freed = new LinkedHashSet<>(reserved);
        freed.addAll(booked);
        if (!freed.isEmpty()) {
            seatMoves.moveOwnedSeats(owner, eventId, freed, SeatStatus.AVAILABLE, SeatStatus.BLOCKED);
        }
    }
}
