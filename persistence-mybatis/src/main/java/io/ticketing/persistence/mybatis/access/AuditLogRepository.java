package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.Sessions;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads the audit trail the database's triggers write (table {@code audit_log}), newest first. */
public final class AuditLogRepository {

    private final Sessions sessions;

    public AuditLogRepository(Sessions sessions) {
        this.sessions = sessions;
    }

    /**
     * Entries matching every given filter (nulls match all), older than {@code beforeId} when given,
     * newest first, at most {@code limit}.
     */
    public List<Entry> find(UUID eventId, String entityType, UUID entityId, Long beforeId, int limit) {
        return sessions.withMapper(AuditLogMapper.class, mapper -> mapper.find(eventId, entityType, entityId, beforeId, limit));
    }

    /** One change; the values are the JSON the trigger recorded (changed columns for an update). */
    public record Entry(long id, Instant occurredAt, String actor, String action, String entityType, UUID entityId,
                        UUID eventId, String oldValues, String newValues) {
    }
}
