package io.ticketing.domain.port.out;

import io.ticketing.domain.model.EventSalesRow;

import java.util.List;

/** The sales view: may lag behind the base tables until refreshed. */
public interface EventSalesAnalyticsPort {

    /**
     * As of the last refresh: one row per event not deleted then, highest total revenue first.
     *
     * @throws io.ticketing.domain.model.AnalyticsNotReadyException while the view holds no data (not populated)
     */
    List<EventSalesRow> loadEventSales();

    /** Recomputes the view from the base tables ({@code REFRESH MATERIALIZED VIEW CONCURRENTLY}). */
    void refreshEventSales();
}
