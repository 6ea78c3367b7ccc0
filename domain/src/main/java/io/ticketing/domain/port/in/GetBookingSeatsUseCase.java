package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Seat;

import java.util.List;

/** The seed's getBookingSeats; NotFoundException for bookings the requester may not see. */
public interface GetBookingSeatsUseCase {

    List<Seat> getBookingSeats(BookingCommand query);
}
