package io.ticketing.persistence.mybatis.access;

interface AnalyticsRefreshMapper {

    boolean tryLock();

    void refresh();
}
