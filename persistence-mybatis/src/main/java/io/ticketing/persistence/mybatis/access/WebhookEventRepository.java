package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.Sessions;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The payment provider's events already applied (table {@code processed_webhook_event}). The record
 * and the event's effect commit in one transaction, so that a redelivery, even one racing the first
 * delivery, finds the record and changes nothing.
 */
public final class WebhookEventRepository {

    private final Sessions sessions;

    public WebhookEventRepository(Sessions sessions) {
        this.sessions = sessions;
    }

    public <T> Optional<T> applyOnce(String actor, String providerEventId, String eventType, UUID paymentSessionId, Supplier<T> apply) {
        return sessions.inTransaction(actor, session -> {
            boolean first = session.getMapper(WebhookEventMapper.class).insert(providerEventId, eventType, paymentSessionId) == 1;
            return first ? Optional.of(apply.get()) : Optional.empty();
        });
    }
}
