package io.ticketing.domain.model;

import java.time.Instant;
import java.util.List;

/**
 * The result of a paid (or being paid) checkout. {@code confirmedAt} is set once paid and never cleared,
 * so a CANCELLED booking with a {@code confirmedAt} is a refund; one without is a failed payment.
 */
public record Booking(BookingId id, EventId eventId, CustomerId customerId, PaymentSessionId paymentSessionId,
                      List<BookedSeat> seats, Money total, BookingStatus status, Instant createdAt,
                      Instant confirmedAt, Instant cancelledAt) {

    private static final String ENTITY = "Booking";

    public Booking {
        InvalidValueException.required(id, "booking id");
        InvalidValueException.required(eventId, "event id");
        InvalidValueException.required(customerId, "customer id");
        InvalidValueException.required(paymentSessionId, "payment session id");
        seats = List.copyOf(seats);
        InvalidValueException.check(!seats.isEmpty(), "a booking has at least one seat");
        InvalidValueException.required(total, "total");
        InvalidValueException.required(status, "booking status");
        InvalidValueException.required(createdAt, "createdAt");
    }

    /** A PENDING booking of the session's seats at the prices the session was opened with. */
    public static Booking pendingFor(PaymentSession session, List<Seat> seats, Instant now) {
        List<BookedSeat> booked = seats.stream().map(seat -> new BookedSeat(seat.id(), seat.price())).toList();
        return new Booking(BookingId.newId(), session.eventId(), session.customerId(), session.id(), booked,
                session.amount(), BookingStatus.PENDING, now, null, null);
    }

    public Booking confirm(Instant now) {
        return new Booking(id, eventId, customerId, paymentSessionId, seats, total,
                status.moveTo(BookingStatus.CONFIRMED, ENTITY, id), createdAt, now, cancelledAt);
    }

    public Booking cancel(Instant now) {
        return new Booking(id, eventId, customerId, paymentSessionId, seats, total,
                status.moveTo(BookingStatus.CANCELLED, ENTITY, id), createdAt, confirmedAt, now);
    }

    public List<SeatId> seatIds() {
        return seats.stream().map(BookedSeat::seatId).toList();
    }

    public boolean wasPaid() {
        return confirmedAt != null;
    }

    public boolean isRefunded() {
        return status == BookingStatus.CANCELLED && wasPaid();
    }
}
