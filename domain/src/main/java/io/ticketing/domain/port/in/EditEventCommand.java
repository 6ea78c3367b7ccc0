package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

/** An admin editing the event as they saw it at {@code expectedVersion}. */
public record EditEventCommand(Actor actor, EventId eventId, long expectedVersion, EventDetails details) {

    public EditEventCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        InvalidValueException.check(expectedVersion >= 0, "version must not be negative");
        InvalidValueException.required(details, "details").checkAsInput();
    }
}
