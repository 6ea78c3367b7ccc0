package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.SeatId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cancellations of events and their progress, and the event's rows a cancellation still has to undo, a batch
 * at a time. Each batch runs in one unit of work that locks the cancellation first ({@link RowLock#EXCLUSIVE}):
 * two runners of the same cancellation (two instances, the CLI beside the server) take turns, batch by batch.
 *
 * <p>A batch changes its rows set-based, one step per table for the whole batch ({@link #cancelBookings},
 * {@link #cancelValidTicketsOfBookings}, {@link #cancelActivePaymentSessions}; the refunds through
 * {@link RefundRequestPort#insertRefundRequests}, then {@link #blockSeats}), so that its unit of
 * work, and every lock it holds, stays short however many rows it changes. Each row changed is audited as if it had
 * been changed alone.
 */
public interface EventCancellationPort {

    Optional<EventCancellation> loadEventCancellation(EventId eventId, RowLock lock);

    /**
     * The RUNNING cancellation of the event of checkout {@code paymentSessionId}, locked ({@link RowLock#EXCLUSIVE})
     * until the unit of work ends; empty when that event has none running, or there is no such checkout. One read by
     * the checkout's key, for a payment report, which takes it before it locks the checkout: the batches' order.
     */
    Optional<EventCancellation> lockRunningEventCancellationOfPaymentSession(PaymentSessionId paymentSessionId);

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

    /**
     * The OPEN or PROCESSING checkouts of the event linked to one of the given bookings, whichever side records the
     * link: the checkout a booking names, or a checkout that names the booking it led to. A booking made here names
     * its checkout; a migrated one may not, while its legacy checkout names it.
     */
    List<PaymentSessionId> loadActivePaymentSessionIdsOfBookings(EventId eventId, Collection<BookingId> bookingIds);

    /** Up to {@code limit} AVAILABLE seats of the event, in id order. */
    List<SeatId> loadAvailableSeatIds(EventId eventId, int limit);

    /**
     * The given bookings of the event that are not CANCELLED become CANCELLED at {@code cancelledAt} and give up
     * their seat claims, in one step. The caller has locked them ({@link #loadActiveBookingsOfEvent}).
     *
     * @return how many were cancelled (a booking CANCELLED already, or not of the event, is left out)
     */
    int cancelBookings(EventId eventId, Collection<BookingId> bookingIds, Instant cancelledAt);

    /**
     * The VALID tickets of the given bookings of the event become CANCELLED, in one step; a USED ticket stays USED
     * (the holder came in: it is history), a REFUNDED or CANCELLED one as it is.
     *
     * @return how many tickets were cancelled
     */
    int cancelValidTicketsOfBookings(EventId eventId, Collection<BookingId> bookingIds);

    /**
     * The given checkouts of the event that are OPEN or PROCESSING become CANCELLED and give up their holds on
     * seats, in one step; the others (ended already, or not of the event) are left as they are.
     */
    CancelledCheckouts cancelActivePaymentSessions(EventId eventId, Collection<PaymentSessionId> paymentSessionIds);

    /**
     * The given seats of the event, whose claims this unit of work released (so RESERVED or BOOKED until now, with
     * nothing holding them) or AVAILABLE ones, become BLOCKED in one step, all or none: the way through AVAILABLE
     * that {@link io.ticketing.domain.model.SeatStatus} has is not written down on the way. Locks them in id order.
     *
     * @return how many were blocked: all of them, or none (nothing changed) if one is BLOCKED already or not of the event
     */
    int blockSeats(EventId eventId, Collection<SeatId> seatIds);

    /** What {@link #cancelActivePaymentSessions} did: how many checkouts it cancelled, the seats they held. */
    record CancelledCheckouts(int checkouts, Set<SeatId> releasedSeats) {

        public static final CancelledCheckouts NONE = new CancelledCheckouts(0, Set.of());

        public CancelledCheckouts {
            releasedSeats = Set.copyOf(releasedSeats);
        }
    }
}
