package io.ticketing.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A checkout: the seats a customer holds while paying. {@code providerReference} is null until the
 * payment provider reports one.
 */
public record PaymentSession(PaymentSessionId id, EventId eventId, CustomerId customerId, List<SeatId> seatIds,
                             Money amount, PaymentSessionStatus status, Instant createdAt, Instant expiresAt,
                             String providerReference) {

    private static final String ENTITY = "PaymentSession";

    public PaymentSession {
        InvalidValueException.required(id, "payment session id");
        InvalidValueException.required(eventId, "event id");
        InvalidValueException.required(customerId, "customer id");
        seatIds = List.copyOf(seatIds);
        InvalidValueException.required(amount, "amount").requireAtMostOnePrice("a checkout's amount");
        InvalidValueException.required(status, "payment session status");
        InvalidValueException.required(createdAt, "createdAt");
        InvalidValueException.required(expiresAt, "expiresAt");
    }

    /** A new session without seats; seats are added once they are reserved. */
    public static PaymentSession open(Event event, CustomerId customerId, Instant now, Duration expiry) {
        return new PaymentSession(PaymentSessionId.newId(), event.id(), customerId, List.of(),
                Money.zero(event.currency()), PaymentSessionStatus.OPEN, now, now.plus(expiry), null);
    }

    public PaymentSession withReservedSeats(List<Seat> reserved) {
        // The checkout policy refuses this with a reason first; this guards the invariant.
        InvalidValueException.check(status == PaymentSessionStatus.OPEN,
                "%s %s is %s; only an OPEN one takes seats".formatted(ENTITY, id, status));
        List<SeatId> allSeats = new ArrayList<>(seatIds);
        Money total = amount;
        for (Seat seat : reserved) {
            allSeats.add(seat.id());
            total = total.plus(seat.price());
        }
        return new PaymentSession(id, eventId, customerId, allSeats, total, status, createdAt, expiresAt, providerReference);
    }

    public PaymentSession markProcessing(String reference) {
        return transition(PaymentSessionStatus.PROCESSING, reference);
    }

    public PaymentSession succeed(String reference) {
        return transition(PaymentSessionStatus.SUCCEEDED, reference);
    }

    public PaymentSession fail(String reference) {
        return transition(PaymentSessionStatus.FAILED, reference);
    }

    public PaymentSession expire() {
        return transition(PaymentSessionStatus.EXPIRED, null);
    }

    /** Ends the checkout without payment: the customer giving up, or the cancellation of its event. */
    public PaymentSession cancel() {
        return transition(PaymentSessionStatus.CANCELLED, null);
    }

    /**
     * The customer giving up: only before the provider has the payment. A PROCESSING checkout is the provider's
     * to end (or its event's cancellation's).
     */
    public PaymentSession cancelByCustomer() {
        if (status == PaymentSessionStatus.PROCESSING) {
            throw new IllegalTransitionException(ENTITY, id, status, PaymentSessionStatus.CANCELLED,
                    EnumSet.of(PaymentSessionStatus.SUCCEEDED, PaymentSessionStatus.FAILED));
        }
        return cancel();
    }

    /** The same checkout, with the provider's reference of a payment reported after it ended. */
    public PaymentSession withProviderReference(String reference) {
        return new PaymentSession(id, eventId, customerId, seatIds, amount, status, createdAt, expiresAt,
                reference != null ? reference : providerReference);
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    private PaymentSession transition(PaymentSessionStatus next, String reference) {
        PaymentSessionStatus moved = status.moveTo(next, ENTITY, id);
        String keptReference = reference != null ? reference : providerReference;
        return new PaymentSession(id, eventId, customerId, seatIds, amount, moved, createdAt, expiresAt, keptReference);
    }
}
