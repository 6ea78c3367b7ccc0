package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

/** One batch of an event's cancellation: at most {@code batchSize} bookings or checkouts, or eight times as many unsold seats. */
public record ContinueEventCancellationCommand(Actor actor, EventId eventId, int batchSize) {

    /** The largest batch: a transaction of 10,000 bookings already holds its locks for tens of seconds. */
    public static final int MAX_BATCH_SIZE = 10_000;

    public ContinueEventCancellationCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        InvalidValueException.check(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "batchSize must be between 1 and " + MAX_BATCH_SIZE);
    }
}
