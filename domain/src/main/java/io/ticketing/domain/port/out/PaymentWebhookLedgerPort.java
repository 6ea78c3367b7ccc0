package io.ticketing.domain.port.out;

import java.util.UUID;

/** The payment provider's events already applied: each is recorded once, in the unit of work that applies it. */
public interface PaymentWebhookLedgerPort {

    /**
     * Records the provider event in the current unit of work; false if it was recorded before (a
     * redelivery, even one racing the first delivery), and then nothing else should change.
     */
    boolean recordFirstDelivery(String providerEventId, String type, UUID paymentSessionId);
}
