package io.ticketing.domain.model;

import java.util.EnumSet;
import java.util.Set;

/** PENDING while the payment is processed, CONFIRMED once paid; CANCELLED after a failed payment or a refund. */
public enum BookingStatus implements LifecycleState<BookingStatus> {
    PENDING, CONFIRMED, CANCELLED;

    @Override
    public Set<BookingStatus> allowedNext() {
        return switch (this) {
            case PENDING -> EnumSet.of(CONFIRMED, CANCELLED);
            case CONFIRMED -> EnumSet.of(CANCELLED);
            case CANCELLED -> EnumSet.noneOf(BookingStatus.class);
        };
    }
}
