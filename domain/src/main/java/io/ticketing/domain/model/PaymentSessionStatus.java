package io.ticketing.domain.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * A checkout: OPEN until paid, expired or cancelled; PROCESSING once the provider has the payment (it no longer
 * expires, and only the cancellation of its event cancels it).
 */
public enum PaymentSessionStatus implements LifecycleState<PaymentSessionStatus> {
    OPEN, PROCESSING, SUCCEEDED, FAILED, EXPIRED, CANCELLED;

    @Override
    public Set<PaymentSessionStatus> allowedNext() {
        return switch (this) {
            case OPEN -> EnumSet.of(PROCESSING, SUCCEEDED, FAILED, EXPIRED, CANCELLED);
            case PROCESSING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, EXPIRED, CANCELLED -> EnumSet.noneOf(PaymentSessionStatus.class);
        };
    }

    /** OPEN and PROCESSING sessions hold their seats. */
    public boolean holdsSeats() {
        return this == OPEN || this == PROCESSING;
    }
}
