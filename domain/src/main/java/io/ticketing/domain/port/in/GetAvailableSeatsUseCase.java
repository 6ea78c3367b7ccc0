package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Seat;

import java.util.List;

/** The seed's getAvailableSeats; empty for events the requester may not see. */
public interface GetAvailableSeatsUseCase {

    List<Seat> getAvailableSeats(EventQuery query);
}
