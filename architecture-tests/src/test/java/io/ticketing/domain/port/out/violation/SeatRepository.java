package io.ticketing.domain.port.out.violation;

import io.ticketing.domain.model.Seat;

import java.util.List;

/** Deliberately wrong, to prove that the rules bite: an out-port not named by its role as a *Port. */
public interface SeatRepository {
    List<Seat> findAll();
}
