package io.ticketing.domain.port.in;

import io.ticketing.domain.model.EventPosition;
import io.ticketing.domain.model.InvalidValueException;

/**
 * The next published events, at most {@code limit} (1..100), after {@code after}: the place in the list (start, then
 * id) where the previous page ended; null for the first page.
 */
public record GetUpcomingEventsQuery(EventPosition after, int limit) {

    public static final int DEFAULT_LIMIT = 10;

    public GetUpcomingEventsQuery {
        InvalidValueException.check(limit >= 1 && limit <= 100, "limit must be between 1 and 100: " + limit);
    }

    /** The first page, of {@code limit} events. */
    public GetUpcomingEventsQuery(int limit) {
        this(null, limit);
    }

    public static GetUpcomingEventsQuery firstPage() {
        return new GetUpcomingEventsQuery(DEFAULT_LIMIT);
    }
}
