package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.PaymentSessionId;

/** Someone reading or cancelling one checkout. */
public record CheckoutCommand(Actor actor, PaymentSessionId paymentSessionId) {

    public CheckoutCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(paymentSessionId, "paymentSessionId");
    }
}
