package io.ticketing.persistence.mybatis.access;

import org.apache.ibatis.annotations.Param;

interface IdempotencyMapper {

    int insert(@Param("principal") String principal, @Param("key") String key, @Param("requestHash") String requestHash);

    int takeOverAbandoned(@Param("principal") String principal, @Param("key") String key,
                          @Param("requestHash") String requestHash, @Param("abandonedAfterMillis") long abandonedAfterMillis);

    Row find(@Param("principal") String principal, @Param("key") String key);

    int complete(@Param("principal") String principal, @Param("key") String key,
                 @Param("status") int status, @Param("body") String body);

    int delete(@Param("principal") String principal, @Param("key") String key);

    record Row(String requestHash, String state, Integer responseStatus, String responseBody) {
    }
}
