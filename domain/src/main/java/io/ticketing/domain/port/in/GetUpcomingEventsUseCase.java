package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

import java.util.List;

/** The seed's getUpcomingEvents: published, not deleted, not started, earliest first. */
public interface GetUpcomingEventsUseCase {

    List<Event> getUpcomingEvents(GetUpcomingEventsQuery query);
}
