package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Booking;

import java.util.Optional;

/** A booking, for its customer or an operator; empty for anybody else. */
public interface GetBookingUseCase {

    Optional<Booking> getBooking(BookingCommand query);
}
