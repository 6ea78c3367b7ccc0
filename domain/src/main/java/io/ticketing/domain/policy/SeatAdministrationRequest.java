package io.ticketing.domain.policy;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;

import java.util.List;

/** An admin changing seats of an event; {@code foundSeats} are the requested seats that exist in it. */
public record SeatAdministrationRequest(EventId eventId, List<SeatId> requestedSeatIds, List<Seat> foundSeats) {

    public SeatAdministrationRequest {
        requestedSeatIds = List.copyOf(requestedSeatIds);
        foundSeats = List.copyOf(foundSeats);
    }
}
