package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.Sessions;

/**
 * The application's way to refresh the {@code event_sales_summary} view, through the schema's
 * {@code refresh_event_sales_summary}: concurrently (readers are not blocked), and always under one
 * transaction-level advisory lock, so that two refreshes never run at once, whoever asks (the
 * schedule of any instance, an operator's command, the API's {@code ?refresh=true} through
 * {@code EventSalesAnalyticsPort}, the legacy import).
 */
public final class AnalyticsRefresh {

    private final Sessions sessions;

    public AnalyticsRefresh(Sessions sessions) {
        this.sessions = sessions;
    }

    /** For schedules: true if this call refreshed the view; false if another refresh was running, which does the work. */
    public boolean refreshUnlessRunningElsewhere() {
        return sessions.inTransaction("system:analytics-refresh", session -> session.getMapper(AnalyticsRefreshMapper.class).refresh(false));
    }

    /** For a caller that needs the view fresh: waits for a refresh running elsewhere, then refreshes. */
    public void refresh() {
        sessions.inTransaction("system:analytics-refresh", session -> session.getMapper(AnalyticsRefreshMapper.class).refresh(true));
    }
}
