package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;

import java.util.List;
import java.util.Optional;

/** A page of bookings; {@code nextAfter} is the cursor of the next page, empty on the last one. */
public record BookingPage(List<Booking> bookings, Optional<BookingId> nextAfter) {

    public BookingPage {
        bookings = List.copyOf(bookings);
    }
}
