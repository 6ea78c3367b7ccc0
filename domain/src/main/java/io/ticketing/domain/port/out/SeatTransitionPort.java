package io.ticketing.domain.port.out;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;

import java.util.Collection;
import java.util.Set;

/**
 * The only way seat statuses change: reserve (AVAILABLE→RESERVED), book (RESERVED→BOOKED), release and
 * refund (→AVAILABLE), block and unblock. Each call is ONE atomic, conditional step over many seats, so two
 * checkouts racing for a seat cannot both win, whatever the isolation level.
 */
public interface SeatTransitionPort {

    /**
     * All or none: if every given seat belongs to {@code eventId} and is {@code from}, all become {@code to}
     * (and their version is incremented) and the result is empty. Otherwise nothing changes and the result
     * names the seats that were not {@code from} or not of the event.
     * <p>A SQL adapter can lock the seats ordered by id ({@code FOR UPDATE}) and check, or update with
     * {@code AND status = from} and undo (savepoint) when fewer rows than requested changed.
     * The callers only ask for transitions that {@link SeatStatus} allows.
     */
    Set<SeatId> transitionSeats(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to);
}
