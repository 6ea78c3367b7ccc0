package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingStatus;

public interface SaveBookingPort {

    /**
     * Stores a new booking, its seats ({@code booked_seat} with the prices) and its review reason. A booking
     * made from a checkout is recorded on that checkout too; one without a checkout is stored as it is.
     */
    void insertBooking(Booking booking);

    /**
     * Stores status, timestamps and the review reason only if the stored status is still {@code expectedStatus}. A CANCELLED
     * booking's seats stop counting as active claims (the partial unique index on {@code booked_seat}).
     *
     * @throws io.ticketing.domain.model.ConcurrentChangeException if the stored status differs
     */
    void updateBooking(Booking changed, BookingStatus expectedStatus);
}
