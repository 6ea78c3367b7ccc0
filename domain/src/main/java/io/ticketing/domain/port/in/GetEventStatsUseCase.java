package io.ticketing.domain.port.in;

import io.ticketing.domain.model.EventSummary;

import java.util.Optional;

/** The seed's getEventStats: the event's summary counters, for operators. */
public interface GetEventStatsUseCase {

    Optional<EventSummary> getEventStats(EventQuery query);
}
