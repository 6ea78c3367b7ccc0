package io.ticketing.domain.service;

import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetEventSalesAnalyticsUseCase;
import io.ticketing.domain.port.in.GetEventStatsUseCase;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.out.TicketingPorts;

import java.util.List;
import java.util.Optional;

public class EventStatisticsService extends ServiceSupport implements GetEventStatsUseCase, GetEventSalesAnalyticsUseCase {

    public EventStatisticsService(TicketingPorts ports) {
        super(ports);
    }

    @Override
    public Optional<EventSummary> getEventStats(EventQuery query) {
        AccessPolicy.mayOperate(query.requester()).orThrow();
        return inUnitOfWork(query.requester(), () -> ports.loadEventSummary().loadEventSummary(query.eventId()));
    }

    @Override
    public List<EventSalesRow> getEventSalesAnalytics(SalesAnalyticsQuery query) {
        AccessPolicy.mayOperate(query.requester()).orThrow();
        if (query.refreshFirst()) {
            // A refresh of its own: it may be long and needs no other statement's transaction.
            inUnitOfWork(query.requester(), () -> {
                ports.eventSalesAnalytics().refreshEventSales();
                return null;
            });
        }
        return inUnitOfWork(query.requester(), () -> ports.eventSalesAnalytics().loadEventSales());
    }
}
