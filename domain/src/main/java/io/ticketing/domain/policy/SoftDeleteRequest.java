package io.ticketing.domain.policy;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventSummary;

import java.time.Instant;

/** An admin asking to delete or restore an event, with the event's current counters. */
public record SoftDeleteRequest(Event event, EventSummary summary, Instant now) {
}
