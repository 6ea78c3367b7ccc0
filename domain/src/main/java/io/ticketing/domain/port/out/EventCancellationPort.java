package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.SeatId;

import java.util.List;
import java.util.Optional;

/**
 * The cancellations of events and their progress, and the event's rows a cancellation still has to undo, a batch
 * at a time. Each batch runs in one unit of work that locks the cancellation first ({@link RowLock#EXCLUSIVE}):
 * two runners of the same cancellation (two instances, the CLI beside the server) take turns, batch by batch.
 */
public interface EventCancellationPort {

    Optional<EventCancellation> loadEventCancellation(EventId eventId, RowLock lock);

    /** The events whose cancellation is RUNNING, oldest request first, at most {@code limit}. */
    List<EventId> loadRunningEventCancellations(int limit);

    /**
     * Stores a new cancellation.
     *
     * @throws io.ticketing.domain.model.DuplicateException if the event has one already
     */
    void insertEventCancellation(EventCancellation cancellation);

    /** Stores state, totals, progress and {@code finishedAt}. */
    void updateEventCancellation(EventCancellation changed);

    /** What the event still has to undo, counted now. */
    EventCancellation.Work countCancellationWork(EventId eventId);

    /**
     * Up to {@code limit} bookings of the event that are not CANCELLED, in id order, locked
     * ({@link RowLock#EXCLUSIVE}) until the unit of work ends.
     */
    List<Booking> loadActiveBookingsOfEvent(EventId eventId, int limit);

    /** Up to {@code limit} checkouts of the event that are OPEN or PROCESSING, in id order, locked until the unit of work ends. */
    List<PaymentSession> loadActivePaymentSessionsOfEvent(EventId eventId, int limit);

    /** Up to {@code limit} AVAILABLE seats of the event, in id order. */
    List<SeatId> loadAvailableSeatIds(EventId eventId, int limit);
}
