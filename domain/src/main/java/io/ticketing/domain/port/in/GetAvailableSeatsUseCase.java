package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Seat;

import java.util.List;

/**
 * The seed's getAvailableSeats. An event that does not exist, or that the requester may not see (a
 * draft or deleted one, for a customer), is {@code NotFoundException}, as with every query of a
 * thing's parts; a query of one thing answers an empty {@code Optional} instead.
 */
public interface GetAvailableSeatsUseCase {

    List<Seat> getAvailableSeats(EventQuery query);
}
