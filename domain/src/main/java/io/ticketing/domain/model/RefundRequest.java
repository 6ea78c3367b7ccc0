package io.ticketing.domain.model;

import java.time.Instant;
import java.util.Optional;

/**
 * Money to give back for a cancelled booking: a row of the refund outbox, written in the unit of work that
 * cancels the booking, at most one per booking. A refund worker sends it to the payment provider (under its own
 * idempotency key, {@link #providerIdempotencyKey()}) and records the outcome; until then it is REQUESTED.
 * {@code paymentSessionId} is the checkout that took the money: the booking's own, or for a migrated booking that
 * names none, the one the outbox finds when it stores the request (empty if none is known). {@code paymentReference}
 * is the provider's reference of the payment to give back when it is not the checkout's own: a second payment the
 * checkout took (empty: the checkout's reference, read when the refund is sent).
 */
public record RefundRequest(RefundRequestId id, EventId eventId, BookingId bookingId, CustomerId customerId,
                            Optional<PaymentSessionId> paymentSessionId, Optional<String> paymentReference, Money amount,
                            String reason, Status status, Instant requestedAt) {

    /** REQUESTED when written; the refund worker moves it on (SENT to the provider, then REFUNDED or FAILED). */
    public enum Status { REQUESTED, SENT, REFUNDED, FAILED }

    public RefundRequest {
        InvalidValueException.required(id, "refund request id");
        InvalidValueException.required(eventId, "event id");
        InvalidValueException.required(bookingId, "booking id");
        InvalidValueException.required(customerId, "customer id");
        paymentSessionId = paymentSessionId == null ? Optional.empty() : paymentSessionId;
        paymentReference = paymentReference == null ? Optional.empty() : paymentReference;
        InvalidValueException.required(amount, "amount");
        reason = EventCancellation.checkedReason(reason);
        InvalidValueException.required(status, "refund status");
        InvalidValueException.required(requestedAt, "requestedAt");
    }

    /** The refund of everything a cancelled, paid booking cost, through the checkout it names. */
    public static RefundRequest of(Booking cancelled, String reason, Instant now) {
        return of(cancelled, cancelled.paymentSessionId(), reason, now);
    }

    /** The same, through {@code paidBy}, the checkout that took the money (a migrated booking names none). */
    public static RefundRequest of(Booking cancelled, PaymentSessionId paidBy, String reason, Instant now) {
        return of(cancelled, Optional.of(paidBy), reason, now);
    }

    /**
     * The refund of {@code paymentReference}, a payment checkout {@code paidBy} took beside its own (a second one, or one
     * of another amount), under {@code cancelled}, a booking of its own that stands for it.
     */
    public static RefundRequest ofAnotherPayment(Booking cancelled, PaymentSessionId paidBy, String paymentReference,
                                                String reason, Instant now) {
        InvalidValueException.required(paymentReference, "paymentReference");
        return of(cancelled, Optional.of(paidBy), Optional.of(paymentReference), reason, now);
    }

    private static RefundRequest of(Booking cancelled, Optional<PaymentSessionId> paidBy, String reason, Instant now) {
        return of(cancelled, paidBy, Optional.empty(), reason, now);
    }

    private static RefundRequest of(Booking cancelled, Optional<PaymentSessionId> paidBy, Optional<String> paymentReference,
                                    String reason, Instant now) {
        InvalidValueException.check(cancelled.isRefunded(), "booking %s is not a cancelled, paid booking".formatted(cancelled.id()));
        return new RefundRequest(RefundRequestId.newId(), cancelled.eventId(), cancelled.id(), cancelled.customerId(),
                paidBy, paymentReference, cancelled.total(), reason, Status.REQUESTED, now);
    }

    /** The same request in another status (the refund worker's and the provider's). */
    public RefundRequest withStatus(Status next) {
        return new RefundRequest(id, eventId, bookingId, customerId, paymentSessionId, paymentReference, amount, reason,
                next, requestedAt);
    }

    /** The key the provider deduplicates this refund by, stable across retries: one refund per booking. */
    public String providerIdempotencyKey() {
        return "refund-" + bookingId.value();
    }
}
