package io.ticketing.domain.model;

import java.util.EnumSet;
import java.util.Set;

/** A seat is held (RESERVED) by an active checkout, BOOKED once paid, BLOCKED by an admin; refunds and releases make it AVAILABLE again. */
public enum SeatStatus implements LifecycleState<SeatStatus> {
    AVAILABLE, RESERVED, BOOKED, BLOCKED;

    @Override
    public Set<SeatStatus> allowedNext() {
        return switch (this) {
            case AVAILABLE -> EnumSet.of(RESERVED, BLOCKED);
            case RESERVED -> EnumSet.of(AVAILABLE, BOOKED);
            case BOOKED -> EnumSet.of(AVAILABLE);
            case BLOCKED -> EnumSet.of(AVAILABLE);
        };
    }
}
