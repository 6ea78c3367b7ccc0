package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;

/** One batch of the refund worker: who runs it (the audit trail's actor) and how many requests it claims. */
public record SendRefundsCommand(Actor actor, int batchSize) {

    public SendRefundsCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.check(batchSize > 0, "batch size must be positive");
    }
}
