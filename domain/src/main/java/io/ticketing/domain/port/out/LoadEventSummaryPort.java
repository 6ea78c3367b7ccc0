package io.ticketing.domain.port.out;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventSummary;

import java.util.Optional;

public interface LoadEventSummaryPort {

    /**
     * The event's counters; equal to {@link EventSummary#recount} of the event's seats, bookings and tickets
     * as committed (or as seen inside the current unit of work). Empty if the event does not exist.
     */
    Optional<EventSummary> loadEventSummary(EventId eventId);
}
