package io.ticketing.domain.port.in;

/**
 * The seed's getAvailableSeats, a page at a time: an event may have 100,000 seats. An event that does not exist,
 * or that the requester may not see (a draft or deleted one, for a customer), is {@code NotFoundException}, as with
 * every query of a thing's parts; a query of one thing answers an empty {@code Optional} instead. A cursor that is
 * not a seat of the event is {@code InvalidCursorException}.
 */
public interface GetAvailableSeatsUseCase {

    SeatPage getAvailableSeats(AvailableSeatsQuery query);
}
