package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.port.out.PaymentWebhookLedgerPort;
import io.ticketing.persistence.mybatis.Sessions;

import java.util.UUID;

/**
 * The payment provider's events already applied (table {@code processed_webhook_event}). The record
 * is written in the caller's unit of work, with the event's effect, so that a redelivery, even one
 * racing the first delivery (it waits on the primary key), finds the record and changes nothing.
 */
public final class WebhookEventRepository implements PaymentWebhookLedgerPort {

    private final Sessions sessions;

    public WebhookEventRepository(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean recordFirstDelivery(String providerEventId, String type, UUID paymentSessionId) {
        return sessions.withMapper(WebhookEventMapper.class, mapper -> mapper.insert(providerEventId, type, paymentSessionId)) == 1;
    }
}
