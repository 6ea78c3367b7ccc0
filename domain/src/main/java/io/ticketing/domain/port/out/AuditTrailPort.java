package io.ticketing.domain.port.out;

import io.ticketing.domain.model.AuditEntry;

import java.util.List;
import java.util.UUID;

/** The audit trail the storage keeps of every change, newest first. */
public interface AuditTrailPort {

    /** Entries matching every non-null filter, older than {@code beforeId} when given, newest first, at most {@code limit}. */
    List<AuditEntry> loadAuditEntries(UUID eventId, String entityType, UUID entityId, Long beforeId, int limit);
}
