package io.ticketing.persistence.mybatis.access;

interface AnalyticsRefreshMapper {

    boolean tryLock();

    int lock();

    void refresh();
}
