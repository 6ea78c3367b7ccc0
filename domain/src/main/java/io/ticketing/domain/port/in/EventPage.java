package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;

import java.util.List;
import java.util.Optional;

/** One page of events, and where the next one starts (empty on the last page). */
public record EventPage(List<Event> events, Optional<EventId> nextAfter) {

    public EventPage {
        events = List.copyOf(events);
    }
}
