package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.TicketCode;

/** Staff at the door of an event scanning a ticket code. */
public record CheckInCommand(Actor actor, EventId eventId, TicketCode code) {

    public CheckInCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        InvalidValueException.required(code, "code");
    }
}
