package io.ticketing.domain.port.in;

/** A customer's bookings, newest first, by keyset pages; empty for other customers' bookings. */
public interface ListCustomerBookingsUseCase {

    BookingPage listCustomerBookings(ListCustomerBookingsQuery query);
}
