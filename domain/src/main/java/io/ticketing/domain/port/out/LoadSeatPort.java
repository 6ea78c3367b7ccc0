package io.ticketing.domain.port.out;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;

import java.util.Collection;
import java.util.List;

/** Seat lists are ordered by section, row and number. */
public interface LoadSeatPort {

    /** Those of the given seats that belong to the event; unknown ids and seats of other events are left out. */
    List<Seat> loadSeats(EventId eventId, Collection<SeatId> seatIds);

    List<Seat> loadSeatsOfEvent(EventId eventId);

    /**
     * Up to {@code limit} available seats of the event, those after the seat {@code after} (a seat of the event,
     * whatever its status; null for the first) in seat order; none of a deleted event.
     */
    List<Seat> loadAvailableSeats(EventId eventId, SeatId after, int limit);
}
