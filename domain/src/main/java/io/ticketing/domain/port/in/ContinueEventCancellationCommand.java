package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

/** One batch of an event's cancellation: at most {@code batchSize} bookings or checkouts, or eight times as many unsold seats. */
public record ContinueEventCancellationCommand(Actor actor, EventId eventId, int batchSize) {

    public ContinueEventCancellationCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        InvalidValueException.check(batchSize >= 1 && batchSize <= 10_000, "batchSize must be between 1 and 10000");
    }
}
