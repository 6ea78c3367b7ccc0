package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.RequestAnswer;
import org.apache.ibatis.annotations.Param;

interface IdempotencyMapper {

    boolean tryLock(@Param("principal") String principal, @Param("key") String key);

    Row find(@Param("principal") String principal, @Param("key") String key);

    int insert(@Param("principal") String principal, @Param("key") String key, @Param("requestHash") String requestHash,
               @Param("answer") RequestAnswer answer);

    record Row(String requestHash, int responseStatus, String responseBody, String responseLocation) {
    }
}
