package io.ticketing.domain.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * One row of the sales analytics (the {@code event_sales_summary} view): tickets currently sold,
 * confirmed bookings, net revenue, refunds, sell-through (tickets sold / seats, 0..1 with 4 decimals)
 * and the time of the last sale (null if none).
 */
public record EventSalesRow(EventId eventId, String title, long ticketsSold, long bookings, Money totalRevenue,
                            Money refunds, BigDecimal sellThrough, Instant lastSaleAt) {

    public static EventSalesRow of(Event event, EventSummary summary, Instant lastSaleAt) {
        BigDecimal sellThrough = summary.totalSeats() == 0
                ? BigDecimal.ZERO.setScale(4)
                : BigDecimal.valueOf(summary.ticketsSold())
                        .divide(BigDecimal.valueOf(summary.totalSeats()), 4, RoundingMode.HALF_UP);
        return new EventSalesRow(event.id(), event.details().title(), summary.ticketsSold(),
                summary.confirmedBookings(), summary.netRevenue(), summary.refunds(), sellThrough, lastSaleAt);
    }
}
