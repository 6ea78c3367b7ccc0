package io.ticketing.domain.port.out;

import java.time.Clock;
import java.util.Objects;

/** Every out-port the use cases need, plus the unit of work and the clock: wiring an adapter is one object. */
public record TicketingPorts(
        UnitOfWorkPort unitOfWork,
        Clock clock,
        LoadEventPort loadEvent,
        SaveEventPort saveEvent,
        LoadSeatPort loadSeat,
        SaveSeatPort saveSeat,
        SeatTransitionPort seatTransition,
        LoadPaymentSessionPort loadPaymentSession,
        SavePaymentSessionPort savePaymentSession,
        ClaimExpiredPaymentSessionsPort claimExpiredPaymentSessions,
        LoadBookingPort loadBooking,
        SaveBookingPort saveBooking,
        LoadTicketPort loadTicket,
        SaveTicketPort saveTicket,
        LoadCustomerPort loadCustomer,
        SaveCustomerPort saveCustomer,
        LoadEventSummaryPort loadEventSummary,
        EventSalesAnalyticsPort eventSalesAnalytics) {

    public TicketingPorts {
        Objects.requireNonNull(unitOfWork, "unitOfWork");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(loadEvent, "loadEvent");
        Objects.requireNonNull(saveEvent, "saveEvent");
        Objects.requireNonNull(loadSeat, "loadSeat");
        Objects.requireNonNull(saveSeat, "saveSeat");
        Objects.requireNonNull(seatTransition, "seatTransition");
        Objects.requireNonNull(loadPaymentSession, "loadPaymentSession");
        Objects.requireNonNull(savePaymentSession, "savePaymentSession");
        Objects.requireNonNull(claimExpiredPaymentSessions, "claimExpiredPaymentSessions");
        Objects.requireNonNull(loadBooking, "loadBooking");
        Objects.requireNonNull(saveBooking, "saveBooking");
        Objects.requireNonNull(loadTicket, "loadTicket");
        Objects.requireNonNull(saveTicket, "saveTicket");
        Objects.requireNonNull(loadCustomer, "loadCustomer");
        Objects.requireNonNull(saveCustomer, "saveCustomer");
        Objects.requireNonNull(loadEventSummary, "loadEventSummary");
        Objects.requireNonNull(eventSalesAnalytics, "eventSalesAnalytics");
    }

    /** For an adapter that implements every port in one class. */
    public static <A extends UnitOfWorkPort & LoadEventPort & SaveEventPort & LoadSeatPort & SaveSeatPort
            & SeatTransitionPort & LoadPaymentSessionPort & SavePaymentSessionPort & ClaimExpiredPaymentSessionsPort
            & LoadBookingPort & SaveBookingPort & LoadTicketPort & SaveTicketPort & LoadCustomerPort & SaveCustomerPort
            & LoadEventSummaryPort & EventSalesAnalyticsPort> TicketingPorts of(A adapter, Clock clock) {
        return new TicketingPorts(adapter, clock, adapter, adapter, adapter, adapter, adapter, adapter, adapter,
                adapter, adapter, adapter, adapter, adapter, adapter, adapter, adapter, adapter);
    }
}
