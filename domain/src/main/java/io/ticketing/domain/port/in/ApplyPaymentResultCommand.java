package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSessionId;

/**
 * A verified provider report. {@code reportedAmount} is the session's amount, or the report is of another payment (a
 * success of it is refunded, see {@link ApplyPaymentResultUseCase}); a report of PROCESSING or SUCCEEDED without one is
 * refused (a FAILED report may omit it).
 */
public record ApplyPaymentResultCommand(Actor actor, PaymentSessionId paymentSessionId, PaymentResult result,
                                        String providerReference, Money reportedAmount) {

    /**
     * The longest id a provider may give (its reference for a payment, its id for an event): both are indexed, and
     * PostgreSQL refuses index entries of more than about 2,700 bytes; providers' ids are far shorter.
     */
    public static final int MAX_PROVIDER_ID_LENGTH = 255;

    public ApplyPaymentResultCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(paymentSessionId, "paymentSessionId");
        InvalidValueException.required(result, "result");
        InvalidValueException.check(providerReference == null || !providerReference.isBlank(),
                "providerReference must not be blank");
        InvalidValueException.checkLength(providerReference, MAX_PROVIDER_ID_LENGTH, "providerReference");
    }
}
