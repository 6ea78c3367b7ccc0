package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Seat;

import java.util.List;

/** Admins take AVAILABLE seats off sale (BLOCKED) and put them back (AVAILABLE); all or none. */
public interface BlockSeatsUseCase {

    List<Seat> blockSeats(SeatAdminCommand command);

    List<Seat> unblockSeats(SeatAdminCommand command);
}
