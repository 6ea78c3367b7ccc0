package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.Sessions;

/**
 * Refreshes the {@code event_sales_summary} view, concurrently (readers are not blocked), by one
 * instance at a time: the refresh runs only in the transaction that wins a transaction-level
 * advisory lock, so instances on a schedule never refresh twice at once.
 */
public final class AnalyticsRefresh {

    private final Sessions sessions;

    public AnalyticsRefresh(Sessions sessions) {
        this.sessions = sessions;
    }

    /** True if this call refreshed the view; false if another instance was refreshing it. */
    public boolean refreshUnlessRunningElsewhere() {
        return sessions.inTransaction("system:analytics-refresh", session -> {
            AnalyticsRefreshMapper mapper = session.getMapper(AnalyticsRefreshMapper.class);
            if (!mapper.tryLock()) {
                return false;
            }
            mapper.refresh();
            return true;
        });
    }
}
