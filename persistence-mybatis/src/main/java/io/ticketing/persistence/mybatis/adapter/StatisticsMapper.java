package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.Money;
import org.apache.ibatis.annotations.Param;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** The trigger-kept {@code event_summary} table and the {@code event_sales_summary} materialized view. */
interface StatisticsMapper {

    /** The seed's getEventStats. */
    SummaryRow findEventSummary(@Param("eventId") UUID eventId);

    /** The seed's getEventSalesAnalytics. */
    List<SalesRow> findEventSales();

    /** Whether the sales view holds data: false after {@code REFRESH … WITH NO DATA}, until a refresh. */
    boolean salesViewPopulated();


    /**
     * The table keeps revenue of CONFIRMED bookings and refunds apart; the domain's gross revenue counts every
     * booking ever paid, i.e. both.
     */
    record SummaryRow(UUID eventId, String currency, long seatsAvailable, long seatsReserved, long seatsBooked,
                      long seatsBlocked, long bookingsConfirmed, long ticketsSold, long ticketsCheckedIn,
                      BigDecimal confirmedRevenue, BigDecimal refundedAmount) {

        EventSummary toDomain() {
            Currency money = Currency.getInstance(currency);
            return new EventSummary(new EventId(eventId), seatsAvailable, seatsReserved, seatsBooked, seatsBlocked,
                    bookingsConfirmed, ticketsSold, ticketsCheckedIn,
                    new Money(confirmedRevenue.add(refundedAmount), money), new Money(refundedAmount, money));
        }
    }

    record SalesRow(UUID eventId, String title, String currency, long ticketsSold, long bookings,
                    BigDecimal totalRevenue, BigDecimal refunds, BigDecimal sellThrough, Instant lastSaleAt) {

        EventSalesRow toDomain() {
            Currency money = Currency.getInstance(currency);
            return new EventSalesRow(new EventId(eventId), title, ticketsSold, bookings, new Money(totalRevenue, money),
                    new Money(refunds, money), sellThrough.setScale(4, RoundingMode.HALF_UP), lastSaleAt);
        }
    }
}
