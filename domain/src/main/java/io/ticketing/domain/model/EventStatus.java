package io.ticketing.domain.model;

import java.util.EnumSet;
import java.util.Set;

/** An event is prepared as DRAFT, sold while PUBLISHED; CANCELLED is final. */
public enum EventStatus implements LifecycleState<EventStatus> {
    DRAFT, PUBLISHED, CANCELLED;

    @Override
    public Set<EventStatus> allowedNext() {
        return switch (this) {
            case DRAFT -> EnumSet.of(PUBLISHED, CANCELLED);
            case PUBLISHED -> EnumSet.of(CANCELLED);
            case CANCELLED -> EnumSet.noneOf(EventStatus.class);
        };
    }
}
