package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;

import java.util.List;
import java.util.Optional;

/** A page of seats; {@code nextAfter} is the cursor of the next page, empty on the last one. */
public record SeatPage(List<Seat> seats, Optional<SeatId> nextAfter) {

    public SeatPage {
        seats = List.copyOf(seats);
    }
}
