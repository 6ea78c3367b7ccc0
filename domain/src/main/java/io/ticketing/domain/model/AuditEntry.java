package io.ticketing.domain.model;

import java.time.Instant;
import java.util.UUID;

/**
 * One recorded change of the audit trail. The values are JSON objects as the storage recorded them
 * (the changed columns of an update); {@code eventId} is the event the change belongs to, when any.
 */
public record AuditEntry(long id, Instant occurredAt, String actor, String action, String entityType, UUID entityId,
                         UUID eventId, String oldValues, String newValues) {
}
