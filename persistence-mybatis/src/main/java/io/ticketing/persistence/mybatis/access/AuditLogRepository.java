package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.AuditEntry;
import io.ticketing.domain.port.out.AuditTrailPort;
import io.ticketing.persistence.mybatis.Sessions;

import java.util.List;
import java.util.UUID;

/** Reads the audit trail the database's triggers write (table {@code audit_log}), newest first. */
public final class AuditLogRepository implements AuditTrailPort {

    private final Sessions sessions;

    public AuditLogRepository(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public List<AuditEntry> loadAuditEntries(UUID eventId, String entityType, UUID entityId, Long beforeId, int limit) {
        return sessions.withMapper(AuditLogMapper.class, mapper -> mapper.find(eventId, entityType, entityId, beforeId, limit));
    }
}
