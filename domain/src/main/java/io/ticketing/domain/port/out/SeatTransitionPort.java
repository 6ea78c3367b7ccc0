package io.ticketing.domain.port.out;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The way seat statuses change: reserve (AVAILABLE→RESERVED), book (RESERVED→BOOKED), release and
 * refund (→AVAILABLE), block and unblock (an event's cancellation blocks the seats it frees in one step of its
 * own, {@link EventCancellationPort#blockSeats}). Each call is ONE atomic, conditional step over many seats, so two
 * checkouts racing for a seat cannot both win, whatever the isolation level.
 */
public interface SeatTransitionPort {

    /**
     * What a transition did: every seat moved, as it is now ({@code moved}, in seat order: section, row,
     * number), or nothing moved and {@code refused} names the seats that were not {@code from} or not of the event.
     */
    record Transition(List<Seat> moved, Set<SeatId> refused) {

        public Transition {
            moved = List.copyOf(moved);
            refused = Set.copyOf(refused);
            if (!moved.isEmpty() && !refused.isEmpty()) {
                throw new IllegalArgumentException("a transition moves all seats or none");
            }
        }

        public static Transition moved(List<Seat> seats) {
            return new Transition(seats, Set.of());
        }

        public static Transition refused(Set<SeatId> seats) {
            return new Transition(List.of(), seats);
        }

        public boolean done() {
            return refused.isEmpty();
        }
    }

    /**
     * All or none: if every given seat belongs to {@code eventId} and is {@code from}, all become {@code to}
     * (and their version is incremented), and the result returns them as they are now, so that the caller
     * need not read them again. Otherwise nothing changes and the result names the refused seats.
     * <p>A SQL adapter can lock the seats ordered by id ({@code FOR UPDATE}) and check, or update with
     * {@code AND status = from} and undo (savepoint) when fewer rows than requested changed.
     * The callers only ask for transitions that {@link SeatStatus} allows.
     */
    Transition transitionSeats(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to);
}
