package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

/** An admin changing an event's lifecycle: publish, cancel, delete or restore. */
public record EventCommand(Actor actor, EventId eventId) {

    public EventCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
    }
}
