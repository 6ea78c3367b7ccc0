package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

/** The admin's list of events, a page at a time; {@code after} is the last id of the previous page. */
public record ListEventsQuery(Actor requester, boolean includeDeleted, EventId after, int limit) {

    public ListEventsQuery {
        InvalidValueException.required(requester, "requester");
        InvalidValueException.check(limit >= 1 && limit <= 100, "limit must be from 1 to 100");
    }
}
