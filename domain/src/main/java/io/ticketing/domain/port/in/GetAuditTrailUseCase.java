package io.ticketing.domain.port.in;

import io.ticketing.domain.model.AuditEntry;

import java.util.List;

/** The audit trail, newest first, for operators. */
public interface GetAuditTrailUseCase {

    List<AuditEntry> getAuditTrail(AuditTrailQuery query);
}
