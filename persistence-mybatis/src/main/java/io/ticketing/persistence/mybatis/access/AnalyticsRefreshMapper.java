package io.ticketing.persistence.mybatis.access;

import org.apache.ibatis.annotations.Param;

interface AnalyticsRefreshMapper {

    boolean refresh(@Param("wait") boolean wait);
}
