package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

/** An admin or operator cancelling an event, and why (required, one line, at most {@link EventCancellation#MAX_REASON_LENGTH} characters). */
public record CancelEventCommand(Actor actor, EventId eventId, String reason) {

    public CancelEventCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        reason = EventCancellation.newReason(reason);
    }
}
