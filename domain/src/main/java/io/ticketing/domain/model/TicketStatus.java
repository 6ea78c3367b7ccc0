package io.ticketing.domain.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * A VALID ticket is checked in once (USED); refunds and cancellations end it. A ticket its event's cancellation
 * CANCELLED becomes REFUNDED when the provider reports its booking's refund.
 */
public enum TicketStatus implements LifecycleState<TicketStatus> {
    VALID, USED, CANCELLED, REFUNDED;

    @Override
    public Set<TicketStatus> allowedNext() {
        return switch (this) {
            case VALID -> EnumSet.of(USED, CANCELLED, REFUNDED);
            case CANCELLED -> EnumSet.of(REFUNDED);
            case USED, REFUNDED -> EnumSet.noneOf(TicketStatus.class);
        };
    }
}
