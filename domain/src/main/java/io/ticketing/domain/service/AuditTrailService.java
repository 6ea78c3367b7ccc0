package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.AuditEntry;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.port.in.AuditTrailQuery;
import io.ticketing.domain.port.in.GetAuditTrailUseCase;
import io.ticketing.domain.port.out.AuditTrailPort;

import java.util.List;
import java.util.Objects;

/** The audit trail, for operators only. */
public class AuditTrailService implements GetAuditTrailUseCase {

    private final AuditTrailPort auditTrail;

    public AuditTrailService(AuditTrailPort auditTrail) {
        this.auditTrail = Objects.requireNonNull(auditTrail, "auditTrail");
    }

    @Override
    public List<AuditEntry> getAuditTrail(AuditTrailQuery query) {
        InvalidValueException.required(query, "query");
        AccessPolicy.mayOperate(query.requester()).orThrow();
        return auditTrail.loadAuditEntries(query.eventId(), query.entityType(), query.entityId(), query.beforeId(), query.limit());
    }
}
