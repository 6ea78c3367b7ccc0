package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Seat;

import java.util.List;

public interface SaveSeatPort {

    /**
     * Stores new seats (version 0).
     *
     * @throws io.ticketing.domain.model.DuplicateException if a position is already taken in its event;
     *         then none of the seats is stored
     */
    void insertSeats(List<Seat> seats);

    /**
     * Stores an admin edit (price) only if the stored version still equals {@code changed.version()} and
     * returns it with the incremented version. Status is not written here: see {@link SeatTransitionPort}.
     *
     * @throws io.ticketing.domain.model.ConcurrentChangeException if the stored version differs
     */
    Seat updateSeat(Seat changed);
}
