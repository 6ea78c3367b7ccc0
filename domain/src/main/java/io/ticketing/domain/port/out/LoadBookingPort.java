package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSessionId;

import java.util.List;
import java.util.Optional;

public interface LoadBookingPort {

    /** The booking with its seats (from {@code booked_seat}), ordered like {@link LoadSeatPort} orders seats. */
    Optional<Booking> loadBooking(BookingId id, RowLock lock);

    /**
     * The booking the checkout led to, if any. A booking may have no checkout of its own (a migrated
     * one); a checkout that points at such a booking still finds it here.
     */
    Optional<Booking> loadBookingOfPaymentSession(PaymentSessionId paymentSessionId);

    /**
     * Keyset page of the customer's bookings, newest first by ({@code createdAt}, id in database uuid
     * order), descending: those below the customer's booking {@code after} in that order (all if null;
     * none if the customer has no such booking), at most {@code limit}. Not by id alone: a migrated
     * booking keeps its legacy creation time under an id that sorts at random.
     */
    List<Booking> loadBookingsOfCustomer(CustomerId customerId, BookingId after, int limit);

    List<Booking> loadBookingsOfEvent(EventId eventId);

    /**
     * Keyset page of the bookings marked for review (a present {@link Booking#reviewReason()}), oldest first
     * by ({@code createdAt}, id in database uuid order): those after the booking {@code after} in that order
     * (all if null; none if no such booking), at most {@code limit}.
     */
    List<Booking> loadBookingsToReview(BookingId after, int limit);
}
