package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventPosition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface LoadEventPort {

    /** The event, deleted or not. */
    Optional<Event> loadEvent(EventId eventId, RowLock lock);

    /** PUBLISHED, not deleted events starting at or after {@code from}, earliest first, at most {@code limit}. */
    default List<Event> loadUpcomingEvents(Instant from, int limit) {
        return loadUpcomingEvents(from, null, limit);
    }

    /** The same, in the order (start, then id) after the place {@code after} (exclusive; null for the first page). */
    List<Event> loadUpcomingEvents(Instant from, EventPosition after, int limit);

    /**
     * Every event, deleted ones too when asked, in id order (ids are time-ordered, so oldest first)
     * after {@code after} (exclusive; null for the first page), at most {@code limit}: the admin's list.
     */
    List<Event> loadEvents(boolean includeDeleted, EventId after, int limit);
}
