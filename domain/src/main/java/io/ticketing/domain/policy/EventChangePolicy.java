package io.ticketing.domain.policy;

import io.ticketing.domain.model.Event;

import java.util.List;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/** Edits, lifecycle changes and new seats of an event. */
@FunctionalInterface
public interface EventChangePolicy extends Policy<Event> {

    EventChangePolicy deletedEventsAreFrozen = event -> allowedUnless(event.isDeleted(), RejectionReason.EVENT_DELETED,
            "event %s is deleted; restore it before changing it".formatted(event.id()));

    static List<EventChangePolicy> allCurrentPolicies() {
        return List.of(deletedEventsAreFrozen);
    }
}
