package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;

/** The sweeper expiring one batch of checkouts past their expiry. */
public record ExpireCheckoutsCommand(Actor actor, int batchSize) {

    public ExpireCheckoutsCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.check(batchSize >= 1 && batchSize <= 10_000, "batchSize must be between 1 and 10000");
    }
}
