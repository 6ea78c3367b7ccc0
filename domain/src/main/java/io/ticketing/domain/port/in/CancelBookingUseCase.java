package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Booking;

/** Cancels a confirmed booking and refunds it: tickets REFUNDED, seats AVAILABLE again. */
public interface CancelBookingUseCase {

    Booking cancelBooking(BookingCommand command);
}
