package io.ticketing.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of a paid (or being paid) checkout. {@code confirmedAt} is set once paid and never cleared,
 * so a CANCELLED booking with a {@code confirmedAt} is a refund; one without is a failed payment.
 *
 * <p>{@code paymentSessionId} is the checkout the booking was made from. It is empty for a booking that
 * has no checkout of its own, such as one migrated from the legacy application (whose checkouts point
 * at their booking, several at one): such a booking is served, cancelled and refunded like any other.
 *
 * <p>{@code reviewReason} says why an operator should look at the booking (e.g. the import migrated it
 * without some of its seats); empty when there is nothing to review.
 */
public record Booking(BookingId id, EventId eventId, CustomerId customerId, Optional<PaymentSessionId> paymentSessionId,
                      List<BookedSeat> seats, Money total, BookingStatus status, Instant createdAt,
                      Instant confirmedAt, Instant cancelledAt, Optional<String> reviewReason) {

    private static final String ENTITY = "Booking";

    public Booking {
        InvalidValueException.required(id, "booking id");
        InvalidValueException.required(eventId, "event id");
        InvalidValueException.required(customerId, "customer id");
        paymentSessionId = paymentSessionId == null ? Optional.empty() : paymentSessionId;
        seats = List.copyOf(seats);
        InvalidValueException.check(!seats.isEmpty(), "a booking has at least one seat");
        InvalidValueException.required(total, "total").requireAtMostOnePrice("a booking's total");
        InvalidValueException.required(status, "booking status");
        InvalidValueException.required(createdAt, "createdAt");
        reviewReason = reviewReason == null ? Optional.empty() : reviewReason.map(String::strip).filter(r -> !r.isEmpty());
    }

    /** A PENDING booking of the session's seats at the prices the session was opened with. */
    public static Booking pendingFor(PaymentSession session, List<Seat> seats, Instant now) {
        List<BookedSeat> booked = seats.stream().map(seat -> new BookedSeat(seat.id(), seat.price())).toList();
        return new Booking(BookingId.newId(), session.eventId(), session.customerId(), Optional.of(session.id()), booked,
                session.amount(), BookingStatus.PENDING, now, null, null, Optional.empty());
    }

    /**
     * The booking that stands for {@code paid}, money {@code session} took beside the payment of its own booking (the
     * provider charged the checkout twice, or an amount other than the checkout's): the checkout's seats at its prices,
     * paid and cancelled at once, so that it is refunded. It names no checkout: the checkout's booking is the one its own
     * payment confirms.
     */
    public static Booking anotherPaymentOf(PaymentSession session, List<Seat> seats, Money paid, Instant now) {
        Booking pending = pendingFor(session, seats, now);
        return new Booking(pending.id, pending.eventId, pending.customerId, Optional.empty(), pending.seats, paid,
                BookingStatus.PENDING, now, null, null, Optional.empty()).confirm(now).cancel(now);
    }

    public Booking confirm(Instant now) {
        return new Booking(id, eventId, customerId, paymentSessionId, seats, total,
                status.moveTo(BookingStatus.CONFIRMED, ENTITY, id), createdAt, now, cancelledAt, reviewReason);
    }

    public Booking cancel(Instant now) {
        return new Booking(id, eventId, customerId, paymentSessionId, seats, total,
                status.moveTo(BookingStatus.CANCELLED, ENTITY, id), createdAt, confirmedAt, now, reviewReason);
    }

    /**
     * A cancelled booking whose payment arrived after all (its checkout had ended without a sale, e.g. by its
     * event's cancellation or a failed report, while the provider was taking the money): paid now and cancelled,
     * so it is refunded. Paid already, it stays as it is.
     */
    public Booking paidAfterCancellation(Instant now) {
        InvalidValueException.check(status == BookingStatus.CANCELLED, "%s %s is %s, not CANCELLED".formatted(ENTITY, id, status));
        if (wasPaid()) {
            return this;
        }
        return new Booking(id, eventId, customerId, paymentSessionId, seats, total, status, createdAt, now, cancelledAt,
                reviewReason);
    }

    /** The same booking marked for an operator's review, for {@code reason}. */
    public Booking markForReview(String reason) {
        String given = InvalidValueException.requiredText(reason, "review reason");
        return new Booking(id, eventId, customerId, paymentSessionId, seats, total, status, createdAt, confirmedAt,
                cancelledAt, Optional.of(given));
    }

    /** The same booking with its review mark cleared, once an operator has dealt with it. */
    public Booking reviewDone() {
        return new Booking(id, eventId, customerId, paymentSessionId, seats, total, status, createdAt, confirmedAt,
                cancelledAt, Optional.empty());
    }

    public boolean needsReview() {
        return reviewReason.isPresent();
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
