package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;

/** An operator reading the sales analytics, optionally refreshing them first (the seed's getEventSalesAnalytics). */
public record SalesAnalyticsQuery(Actor requester, boolean refreshFirst) {

    public SalesAnalyticsQuery {
        InvalidValueException.required(requester, "requester");
    }
}
