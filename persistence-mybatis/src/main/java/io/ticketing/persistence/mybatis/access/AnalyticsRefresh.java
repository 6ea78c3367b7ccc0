package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.Sessions;

/**
 * The one way the {@code event_sales_summary} view is refreshed: concurrently (readers are not
 * blocked), and always under one transaction-level advisory lock, so that two refreshes never run at
 * once, whoever asks (the schedule of any instance, an operator's command, the API's
 * {@code ?refresh=true} through {@code EventSalesAnalyticsPort}).
 */
public final class AnalyticsRefresh {

    private final Sessions sessions;

    public AnalyticsRefresh(Sessions sessions) {
        this.sessions = sessions;
    }

    /** For schedules: true if this call refreshed the view; false if another refresh was running, which does the work. */
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

    /** For a caller that needs the view fresh: waits for a refresh running elsewhere, then refreshes. */
    public void refresh() {
        sessions.inTransaction("system:analytics-refresh", session -> {
            AnalyticsRefreshMapper mapper = session.getMapper(AnalyticsRefreshMapper.class);
            mapper.lock();
            mapper.refresh();
            return null;
        });
    }
}
