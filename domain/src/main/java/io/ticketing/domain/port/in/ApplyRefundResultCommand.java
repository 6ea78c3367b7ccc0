package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSessionId;

/**
 * The provider reports that it refunded the payment of a checkout: the checkout, the provider's reference of the
 * refund (optional), and the amount it gave back (which must be the refund request's).
 */
public record ApplyRefundResultCommand(Actor actor, PaymentSessionId paymentSessionId, String providerRefundReference,
                                       Money reportedAmount) {

    public ApplyRefundResultCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(paymentSessionId, "paymentSessionId");
        InvalidValueException.checkLength(providerRefundReference, ApplyPaymentResultCommand.MAX_PROVIDER_ID_LENGTH, "providerReference");
    }
}
