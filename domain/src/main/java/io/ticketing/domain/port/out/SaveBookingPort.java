package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingStatus;

public interface SaveBookingPort {

    /** Stores a new booking and its seats ({@code booked_seat} with the prices). */
    void insertBooking(Booking booking);

    /**
     * Stores status and timestamps only if the stored status is still {@code expectedStatus}. A CANCELLED
     * booking's seats stop counting as active claims (the partial unique index on {@code booked_seat}).
     *
     * @throws io.ticketing.domain.model.ConcurrentModificationException if the stored status differs
     */
    void updateBooking(Booking changed, BookingStatus expectedStatus);
}
