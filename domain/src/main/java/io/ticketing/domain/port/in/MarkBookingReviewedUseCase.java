package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Booking;

/**
 * An operator clearing a booking's review mark once dealt with; operators only. Clearing a booking
 * that carries no mark changes nothing and answers the booking as it is.
 */
public interface MarkBookingReviewedUseCase {

    Booking markBookingReviewed(BookingCommand command);
}
