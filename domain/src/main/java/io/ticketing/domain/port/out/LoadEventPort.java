package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface LoadEventPort {

    /** The event, deleted or not. */
    Optional<Event> loadEvent(EventId eventId, RowLock lock);

    /** PUBLISHED, not deleted events starting at or after {@code from}, earliest first, at most {@code limit}. */
    List<Event> loadUpcomingEvents(Instant from, int limit);
}
