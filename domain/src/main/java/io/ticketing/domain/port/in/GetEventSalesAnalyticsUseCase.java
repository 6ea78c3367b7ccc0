package io.ticketing.domain.port.in;

import io.ticketing.domain.model.EventSalesRow;

import java.util.List;

/** The seed's getEventSalesAnalytics: one row per event, highest revenue first, for operators. */
public interface GetEventSalesAnalyticsUseCase {

    List<EventSalesRow> getEventSalesAnalytics(SalesAnalyticsQuery query);
}
