package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;

import java.util.List;
import java.util.UUID;

/** An operator reading the audit trail: every filter optional, pages of at most {@code limit}, older than {@code beforeId}. */
public record AuditTrailQuery(Actor requester, UUID eventId, String entityType, UUID entityId, Long beforeId, int limit) {

    /**
     * The kinds of entity the trail records: the audited tables of the schema, and legacy_import, the rows
     * the legacy import copied into one event in one batch, legacy_catch_up, the rows one of its catch-up
     * rounds imported again into one event (for both, the entity id is the event's).
     */
    public static final List<String> ENTITY_TYPES = List.of("event", "seat", "payment_session", "booking", "ticket",
            "event_cancellation", "refund_request", "legacy_import", "legacy_catch_up");

    public AuditTrailQuery {
        InvalidValueException.required(requester, "requester");
        InvalidValueException.check(entityType == null || ENTITY_TYPES.contains(entityType),
                "entityType must be one of " + ENTITY_TYPES);
        InvalidValueException.check(limit > 0, "limit must be positive");
    }
}
