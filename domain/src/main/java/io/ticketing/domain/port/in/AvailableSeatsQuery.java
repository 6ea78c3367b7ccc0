package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.SeatId;

/**
 * A page of an event's seat map (its available seats by section, row and number), after the seat {@code after}
 * (null for the first page). Pages are larger than other lists' ({@link #MAX_LIMIT}): a seat is small, and a seat
 * map is read whole.
 */
public record AvailableSeatsQuery(Actor requester, EventId eventId, SeatId after, int limit) {

    public static final int MAX_LIMIT = 1000;

    public AvailableSeatsQuery {
        InvalidValueException.required(requester, "requester");
        InvalidValueException.required(eventId, "eventId");
        InvalidValueException.check(limit >= 1 && limit <= MAX_LIMIT, "limit must be between 1 and " + MAX_LIMIT + ": " + limit);
    }
}
