package io.ticketing.persistence.mybatis.access;

import org.apache.ibatis.annotations.Param;

interface IdempotencyMapper {

    boolean tryLock(@Param("principal") String principal, @Param("key") String key);

    Row find(@Param("principal") String principal, @Param("key") String key);

    int insert(@Param("principal") String principal, @Param("key") String key, @Param("requestHash") String requestHash,
               @Param("status") int status, @Param("body") String body);

    record Row(String requestHash, int responseStatus, String responseBody) {
    }
}
