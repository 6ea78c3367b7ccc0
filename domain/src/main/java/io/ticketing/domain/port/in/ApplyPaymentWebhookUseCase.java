package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.PaymentSessionId;

import java.util.Optional;

/**
 * A payment provider's report, applied once per provider event however often it is delivered: the
 * record of the event and its effect are one unit of work.
 */
public interface ApplyPaymentWebhookUseCase {

    /**
     * The checkout a provider's report names {@code name}: the checkout of that id (a UUID, in either case) if there
     * is one, else the checkout migrated from the legacy app's checkout of that id, which the provider knows by it
     * ({@link PaymentSessionId#knownAs}). Empty when {@code name} can name neither.
     */
    Optional<PaymentSessionId> paymentSessionKnownAs(Actor actor, String name);

    /** The result applied, or empty if this provider event was applied before. */
    Optional<PaymentResultApplied> applyPaymentWebhook(String providerEventId, ApplyPaymentResultCommand command);

    /** The provider's `refunded` report applied, or empty if this provider event was applied before. */
    Optional<RefundApplied> applyRefundWebhook(String providerEventId, ApplyRefundResultCommand command);
}
