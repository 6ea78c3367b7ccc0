package io.ticketing.domain.policy;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventStatus;

import java.util.List;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/** Edits, lifecycle changes and new seats of an event. */
@FunctionalInterface
public interface EventChangePolicy extends Policy<Event> {

    EventChangePolicy deletedEventsAreFrozen = event -> allowedUnless(event.isDeleted(), RejectionReason.EVENT_DELETED,
            "event %s is deleted; restore it before changing it".formatted(event.id()));

    /** A cancelled event sells nothing: no seat of it becomes AVAILABLE again, no new one is laid out. */
    EventChangePolicy cancelledEventsSellNothing = event -> allowedUnless(event.status() == EventStatus.CANCELLED,
            RejectionReason.EVENT_CANCELLED, "event %s is cancelled: it sells nothing, so it takes no seats for sale".formatted(event.id()));

    static List<EventChangePolicy> allCurrentPolicies() {
        return List.of(deletedEventsAreFrozen);
    }

    /** What laying out new seats, or making blocked ones available again, asks of their event. */
    static List<EventChangePolicy> seatsForSale() {
        return List.of(deletedEventsAreFrozen, cancelledEventsSellNothing);
    }
}
