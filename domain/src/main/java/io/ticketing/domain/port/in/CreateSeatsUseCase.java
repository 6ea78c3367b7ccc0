package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Seat;

import java.util.List;

/** Lays out seats in bulk (sections × rows × numbers), AVAILABLE, priced in the event's currency. */
public interface CreateSeatsUseCase {

    List<Seat> createSeats(CreateSeatsCommand command);
}
