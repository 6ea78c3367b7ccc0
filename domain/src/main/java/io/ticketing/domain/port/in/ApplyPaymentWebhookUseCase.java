package io.ticketing.domain.port.in;

import java.util.Optional;

/**
 * A payment provider's report, applied once per provider event however often it is delivered: the
 * record of the event and its effect are one unit of work.
 */
public interface ApplyPaymentWebhookUseCase {

    /** The result applied, or empty if this provider event was applied before. */
    Optional<PaymentResultApplied> applyPaymentWebhook(String providerEventId, ApplyPaymentResultCommand command);

    /** The provider's `refunded` report applied, or empty if this provider event was applied before. */
    Optional<RefundApplied> applyRefundWebhook(String providerEventId, ApplyRefundResultCommand command);
}
