package io.ticketing.domain.port.in;

/**
 * The seed's getUpcomingEvents: published, not deleted, not started, earliest first (by start, then id), a page at a
 * time; the page's {@code nextAfter} is the cursor of the next one, empty after the last.
 */
public interface GetUpcomingEventsUseCase {

    EventPage getUpcomingEvents(GetUpcomingEventsQuery query);
}
