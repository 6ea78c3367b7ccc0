package io.ticketing.persistence.mybatis.access;

import org.apache.ibatis.annotations.Param;

import java.util.UUID;

interface WebhookEventMapper {

    /** 1 if the event is new, 0 if it was recorded before (a concurrent first delivery waits for the other). */
    int insert(@Param("providerEventId") String providerEventId, @Param("eventType") String eventType,
               @Param("paymentSessionId") UUID paymentSessionId);
}
