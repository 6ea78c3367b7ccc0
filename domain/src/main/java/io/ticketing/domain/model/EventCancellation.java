package io.ticketing.domain.model;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The cancellation of an event and how far its cascade has got: who asked and why, what there was to undo when
 * it started ({@code …Total}) and what is undone ({@code …Done}). The cascade runs in short batches, each recording
 * its progress here in its own unit of work, so a cancellation interrupted anywhere continues from the last
 * committed batch. A total grows when more turns up than was counted at the start (a checkout that reached its
 * payment provider just before the event was cancelled, for one), so {@code done <= total} always holds; once DONE,
 * each total is what was done.
 *
 * <p>{@code bookings} are the bookings cancelled (PENDING and CONFIRMED), {@code refunds} the refunds requested
 * (one per CONFIRMED booking), {@code checkouts} the OPEN and PROCESSING checkouts cancelled, {@code seats} the
 * seats blocked. {@code finishedAt} is null while RUNNING.
 */
public record EventCancellation(EventId eventId, String reason, String requestedBy, Instant requestedAt, State state,
                                long bookingsTotal, long bookingsDone, long checkoutsTotal, long checkoutsDone,
                                long seatsTotal, long seatsDone, long refundsRequested, Instant finishedAt) {

    /** What the storage and the API accept as a reason. */
    public static final int MAX_REASON_LENGTH = 500;

    private static final String ENTITY = "EventCancellation";

    /** RUNNING until a batch finds nothing left to undo; DONE is final. */
    public enum State implements LifecycleState<State> {
        RUNNING, DONE;

        @Override
        public Set<State> allowedNext() {
            return this == RUNNING ? EnumSet.of(DONE) : EnumSet.noneOf(State.class);
        }
    }

    /** What an event still has to undo: bookings not CANCELLED, checkouts OPEN or PROCESSING, seats not BLOCKED. */
    public record Work(long bookings, long checkouts, long seats) {

        public Work {
            InvalidValueException.check(bookings >= 0 && checkouts >= 0 && seats >= 0, "work must not be negative");
        }
    }

    public EventCancellation {
        InvalidValueException.required(eventId, "event id");
        reason = checkedReason(reason);
        requestedBy = InvalidValueException.storedText(requestedBy, "requestedBy"); // an actor's audit name, as stored
        InvalidValueException.required(requestedAt, "requestedAt");
        InvalidValueException.required(state, "state");
        InvalidValueException.check(bookingsDone >= 0 && checkoutsDone >= 0 && seatsDone >= 0 && refundsRequested >= 0,
                "progress must not be negative");
        InvalidValueException.check(bookingsDone <= bookingsTotal && checkoutsDone <= checkoutsTotal
                && seatsDone <= seatsTotal, "progress must not exceed its total");
        InvalidValueException.check((state == State.DONE) == (finishedAt != null), "exactly a DONE cancellation has finishedAt");
    }

    /** A cancellation starting now, with everything {@code work} counts still to do. */
    public static EventCancellation start(EventId eventId, String reason, Actor by, Instant now, Work work) {
        InvalidValueException.required(by, "actor");
        InvalidValueException.required(work, "work");
        return new EventCancellation(eventId, reason, by.auditName(), now, State.RUNNING,
                work.bookings(), 0, work.checkouts(), 0, work.seats(), 0, 0, null);
    }

    /**
     * A reason given now (by an admin, an operator): {@link #checkedReason}, and one line, no control character (it is
     * printed on an operator's terminal and in the audit trail). Reasons stored before are loaded as they are.
     */
    public static String newReason(String reason) {
        String given = checkedReason(reason);
        InvalidValueException.checkOneLine(reason, "reason"); // as given: a tab at an end is refused, not stripped
        return given;
    }

    /** The reason, stripped: required, at most {@link #MAX_REASON_LENGTH} characters. */
    public static String checkedReason(String reason) {
        String given = InvalidValueException.requiredText(reason, "reason");
        InvalidValueException.checkLength(given, MAX_REASON_LENGTH, "reason");
        return given;
    }

    /** After one batch: what it undid is added, and a total grows to what is done if more turned up than counted. */
    public EventCancellation afterBatch(long bookings, long checkouts, long seats, long refunds) {
        InvalidValueException.check(state == State.RUNNING, "%s %s is %s".formatted(ENTITY, eventId, state));
        long bookingsNow = bookingsDone + bookings;
        long checkoutsNow = checkoutsDone + checkouts;
        long seatsNow = seatsDone + seats;
        return new EventCancellation(eventId, reason, requestedBy, requestedAt, state,
                Math.max(bookingsTotal, bookingsNow), bookingsNow, Math.max(checkoutsTotal, checkoutsNow), checkoutsNow,
                Math.max(seatsTotal, seatsNow), seatsNow, refundsRequested + refunds, null);
    }

    /**
     * Nothing is left to undo: each total becomes what was done. A checkout counted at the start may have been paid
     * before a batch reached it, and undone as a booking (counted there); its count among the checkouts never comes.
     */
    public EventCancellation finish(Instant now) {
        return new EventCancellation(eventId, reason, requestedBy, requestedAt, state.moveTo(State.DONE, ENTITY, eventId),
                bookingsDone, bookingsDone, checkoutsDone, checkoutsDone, seatsDone, seatsDone, refundsRequested, now);
    }

    public boolean isDone() {
        return state == State.DONE;
    }
}
