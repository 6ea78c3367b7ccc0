package io.ticketing.domain.service;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.EventChangePolicy;
import io.ticketing.domain.policy.Policy;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.CancelEventUseCase;
import io.ticketing.domain.port.in.ContinueEventCancellationCommand;
import io.ticketing.domain.port.in.ContinueEventCancellationUseCase;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.FinishEventCancellationCommand;
import io.ticketing.domain.port.in.GetEventCancellationUseCase;
import io.ticketing.domain.port.out.EventCancellationPort;
import io.ticketing.domain.port.out.EventCancellationPort.CancelledCheckouts;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveEventPort;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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

    /**
     * An unsold seat changes one row (BLOCKED) where a paid booking of two seats changes some eight: a batch of unsold
     * seats takes this many times the batch size, for about the same work and lock time, so that an event that sold
     * little does not take thousands of tiny batches.
     */
    static final int UNSOLD_SEATS_PER_BOOKING = 8;

    /**
     * The first paced batch: undoing a paid booking takes about 5 ms on a busy 2-core machine, so 8 stay near the
     * default budget before anything is measured. The largest is the largest a batch of fixed size may take.
     */
    private static final int FIRST_PACED_BATCH = 8;
    private static final int MAX_PACED_BATCH = ContinueEventCancellationCommand.MAX_BATCH_SIZE;

    private final LoadEventPort loadEvent;
    private final SaveEventPort saveEvent;
    private final EventCancellationPort eventCancellation;
    private final RefundRequestPort refundRequests;
    private final SeatMoves seatMoves;

    public EventCancellationService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, SaveEventPort saveEvent, SeatTransitionPort seatTransition, EventCancellationPort eventCancellation, RefundRequestPort refundRequests) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.saveEvent = Objects.requireNonNull(saveEvent, "saveEvent");
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
        return oneBatch(command.actor(), command.eventId(), command.batchSize()).after();
    }

    @Override
    public EventCancellation finishEventCancellation(FinishEventCancellationCommand command, Consumer<EventCancellation> afterBatch) {
        InvalidValueException.required(command, "command");
        InvalidValueException.required(afterBatch, "afterBatch");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        BatchPacer pacer = new BatchPacer(command.batchBudget(), FIRST_PACED_BATCH, MAX_PACED_BATCH);
        while (true) {
            Batch batch = oneBatch(command.actor(), command.eventId(), pacer.size());
            // Its locks were held from the cancellation's row lock (runners of the same cancellation take turns
            // there, and that wait is not the batch's) to the end of its commit, whose seat rules cost their share.
            // Timed by the JVM's monotonic clock: the business clock may be fixed, simulated or stepped.
            pacer.record(batch.items(), Duration.ofNanos(System.nanoTime() - batch.lockedAtNanos()));
            afterBatch.accept(batch.after());
            if (batch.after().isDone()) {
                return batch.after();
            }
        }
    }

    /** One batch: the progress before and after it, and when ({@link System#nanoTime()}) it took the cancellation's row lock. */
    private record Batch(EventCancellation before, EventCancellation after, long lockedAtNanos) {

        int items() {
            return batchItems(before, after);
        }
    }

    /**
     * What a batch undid between two states of a cancellation, in the unit of its size: bookings (a pending
     * booking's checkout is cancelled with it and counts no more), else checkouts, else unsold seats, one per
     * {@link #UNSOLD_SEATS_PER_BOOKING} (the phase's batches take that many seats for one item of their size).
     */
    static int batchItems(EventCancellation before, EventCancellation after) {
        long bookings = after.bookingsDone() - before.bookingsDone();
        long checkouts = after.checkoutsDone() - before.checkoutsDone();
        long seats = after.seatsDone() - before.seatsDone();
        return (int) (bookings > 0 ? bookings
                : checkouts > 0 ? checkouts
                : (seats + UNSOLD_SEATS_PER_BOOKING - 1) / UNSOLD_SEATS_PER_BOOKING);
    }

    private Batch oneBatch(Actor actor, EventId eventId, int size) {
        return inUnitOfWork(actor, () -> {
            // Runners of the same cancellation take turns here; each then sees what the previous batch committed.
            EventCancellation progress = eventCancellation.loadEventCancellation(eventId, RowLock.EXCLUSIVE)
                    .orElseThrow(() -> new NotFoundException("EventCancellation", eventId));
            long lockedAt = System.nanoTime();
            if (progress.isDone()) {
                return new Batch(progress, progress, lockedAt);
            }
            EventCancellation next = batch(progress, size, now());
            eventCancellation.updateEventCancellation(next);
            return new Batch(progress, next, lockedAt);
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
            // A checkout with a booking is a PROCESSING one whose booking a late report created after the bookings
            // were taken: the seat rules then refuse this batch at commit, and the next one takes that booking first.
            checkouts.forEach(PaymentSession::cancel); // each may end so
            CancelledCheckouts cancelled = eventCancellation.cancelActivePaymentSessions(eventId,
                    checkouts.stream().map(PaymentSession::id).toList());
            if (cancelled.checkouts() != checkouts.size()) {
                throw new ConcurrentChangeException("EventCancellation", eventId,
                        "%d locked checkouts OPEN or PROCESSING, found %d".formatted(checkouts.size(), cancelled.checkouts()));
            }
            block(eventId, cancelled.releasedSeats());
            return progress.afterBatch(0, cancelled.checkouts(), cancelled.releasedSeats().size(), 0);
        }
        List<SeatId> available = eventCancellation.loadAvailableSeatIds(eventId, size * UNSOLD_SEATS_PER_BOOKING);
        if (!available.isEmpty()) {
            seatMoves.moveOwnedSeats("EventCancellation " + eventId, eventId, available, SeatStatus.AVAILABLE, SeatStatus.BLOCKED);
            return progress.afterBatch(0, 0, available.size(), 0);
        }
        return progress.finish(now);
    }

    /**
     * One step per table for the whole batch: the bookings, the tickets of the paid ones, their refund requests, the
     * checkouts still paying for the pending ones, then the seats. The domain decides each booking's way (its
     * cancellation, its refund); the ports write them set-based.
     */
    private EventCancellation cancelBookings(EventCancellation progress, List<Booking> bookings, Instant now) {
        EventId eventId = progress.eventId();
        List<BookingId> cancelled = new ArrayList<>();
        List<BookingId> paid = new ArrayList<>();
        List<RefundRequest> refunds = new ArrayList<>();
        List<BookingId> pending = new ArrayList<>();
        Set<SeatId> freed = new LinkedHashSet<>(); // RESERVED for a pending booking, BOOKED for a paid one
        for (Booking booking : bookings) {
            Booking after = booking.cancel(now);
            cancelled.add(booking.id());
            if (booking.status() == BookingStatus.CONFIRMED) {
                paid.add(booking.id());
                refunds.add(RefundRequest.of(after, progress.reason(), now));
            } else {
                pending.add(booking.id());
            }
            freed.addAll(booking.seatIds());
        }
        int changed = eventCancellation.cancelBookings(eventId, cancelled, now);
        if (changed != cancelled.size()) {
            throw new ConcurrentChangeException("EventCancellation", eventId,
                    "%d locked bookings not CANCELLED, found %d".formatted(cancelled.size(), changed));
        }
        if (!paid.isEmpty()) {
            eventCancellation.cancelValidTicketsOfBookings(eventId, paid);
        }
        long requested = refunds.isEmpty() ? 0 : refundRequests.insertRefundRequests(refunds);
        // A PENDING booking's checkout is PROCESSING and holds the same seats: it ends with its booking.
        List<PaymentSessionId> paying = pending.isEmpty() ? List.of()
                : eventCancellation.loadActivePaymentSessionIdsOfBookings(eventId, pending);
        CancelledCheckouts checkouts = paying.isEmpty() ? CancelledCheckouts.NONE
                : eventCancellation.cancelActivePaymentSessions(eventId, paying);
        freed.addAll(checkouts.releasedSeats());
        block(eventId, freed);
        return progress.afterBatch(bookings.size(), checkouts.checkouts(), freed.size(), requested);
    }

    /** Seats whose claims this unit of work released: RESERVED or BOOKED, through AVAILABLE, to BLOCKED in one step. */
    private void block(EventId eventId, Set<SeatId> freed) {
        if (!freed.isEmpty() && eventCancellation.blockSeats(eventId, freed) != freed.size()) {
            throw new IllegalStateException("EventCancellation %s released the claims on seats %s but could not block them; the storage is inconsistent"
                    .formatted(eventId, freed));
        }
    }
}
