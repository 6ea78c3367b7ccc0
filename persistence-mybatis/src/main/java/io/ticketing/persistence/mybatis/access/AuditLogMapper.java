package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.AuditEntry;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.UUID;

interface AuditLogMapper {

    List<AuditEntry> find(@Param("eventId") UUID eventId, @Param("entityType") String entityType,
                          @Param("entityId") UUID entityId, @Param("beforeId") Long beforeId,
                          @Param("limit") int limit);
}
