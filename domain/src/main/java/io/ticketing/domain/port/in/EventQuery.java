package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

/** Anyone asking about one event; what they see depends on who they are. */
public record EventQuery(Actor requester, EventId eventId) {

    public EventQuery {
        InvalidValueException.required(requester, "requester");
        InvalidValueException.required(eventId, "eventId");
    }
}
