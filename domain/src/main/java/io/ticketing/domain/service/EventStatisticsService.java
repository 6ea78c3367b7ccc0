package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetEventSalesAnalyticsUseCase;
import io.ticketing.domain.port.in.GetEventStatsUseCase;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.out.LoadEventSummaryPort;
import io.ticketing.domain.port.out.EventSalesAnalyticsPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;
import java.util.List;
import java.util.Optional;

public class EventStatisticsService extends ServiceSupport implements GetEventStatsUseCase, GetEventSalesAnalyticsUseCase {

    private final LoadEventSummaryPort loadEventSummary;
    private final EventSalesAnalyticsPort eventSalesAnalytics;

    public EventStatisticsService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventSummaryPort loadEventSummary, EventSalesAnalyticsPort eventSalesAnalytics) {
        super(unitOfWork, clock);
        this.loadEventSummary = Objects.requireNonNull(loadEventSummary, "loadEventSummary");
        this.eventSalesAnalytics = Objects.requireNonNull(eventSalesAnalytics, "eventSalesAnalytics");
    }

    @Override
    public Optional<EventSummary> getEventStats(EventQuery query) {
        InvalidValueException.required(query, "query");
        AccessPolicy.mayReadEventStats(query.requester()).orThrow();
        return inUnitOfWork(query.requester(), () -> loadEventSummary.loadEventSummary(query.eventId()));
    }

    @Override
    public List<EventSalesRow> getEventSalesAnalytics(SalesAnalyticsQuery query) {
        InvalidValueException.required(query, "query");
        AccessPolicy.mayOperate(query.requester()).orThrow();
        if (query.refreshFirst()) {
            // A refresh of its own: it may be long and needs no other statement's transaction.
            inUnitOfWork(query.requester(), () -> {
                eventSalesAnalytics.refreshEventSales();
                return null;
            });
        }
        return inUnitOfWork(query.requester(), () -> eventSalesAnalytics.loadEventSales());
    }
}
