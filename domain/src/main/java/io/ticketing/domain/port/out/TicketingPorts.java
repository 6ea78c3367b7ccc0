package io.ticketing.domain.port.out;

import java.time.Clock;
import java.util.Objects;

/**
 * Every out-port the core use cases need, plus the unit of work and the clock: the set an embedder hands
 * to {@code TicketingServices.wire}, which gives each service the ports it uses. Ports mix one by one:
 * start from an adapter of every port ({@link #of}) and replace any with {@code with…}.
 */
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
        EventSalesAnalyticsPort eventSalesAnalytics,
        EventCancellationPort eventCancellation,
        RefundRequestPort refundRequests) {

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
        Objects.requireNonNull(eventCancellation, "eventCancellation");
        Objects.requireNonNull(refundRequests, "refundRequests");
    }

    /** For an adapter that implements every port in one class. */
    public static <A extends UnitOfWorkPort & LoadEventPort & SaveEventPort & LoadSeatPort & SaveSeatPort
            & SeatTransitionPort & LoadPaymentSessionPort & SavePaymentSessionPort & ClaimExpiredPaymentSessionsPort
            & LoadBookingPort & SaveBookingPort & LoadTicketPort & SaveTicketPort & LoadCustomerPort
            & SaveCustomerPort & LoadEventSummaryPort & EventSalesAnalyticsPort & EventCancellationPort
            & RefundRequestPort> TicketingPorts of(A adapter, Clock clock) {
        return new TicketingPorts(adapter, clock, adapter, adapter, adapter, adapter, adapter, adapter, adapter,
                adapter, adapter, adapter, adapter, adapter, adapter, adapter, adapter, adapter, adapter, adapter);
    }

    /** This set with {@code unitOfWork} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withUnitOfWork(UnitOfWorkPort unitOfWork) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code clock} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withClock(Clock clock) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code loadEvent} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withLoadEvent(LoadEventPort loadEvent) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code saveEvent} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withSaveEvent(SaveEventPort saveEvent) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code loadSeat} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withLoadSeat(LoadSeatPort loadSeat) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code saveSeat} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withSaveSeat(SaveSeatPort saveSeat) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code seatTransition} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withSeatTransition(SeatTransitionPort seatTransition) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code loadPaymentSession} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withLoadPaymentSession(LoadPaymentSessionPort loadPaymentSession) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code savePaymentSession} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withSavePaymentSession(SavePaymentSessionPort savePaymentSession) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code claimExpiredPaymentSessions} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withClaimExpiredPaymentSessions(ClaimExpiredPaymentSessionsPort claimExpiredPaymentSessions) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code loadBooking} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withLoadBooking(LoadBookingPort loadBooking) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code saveBooking} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withSaveBooking(SaveBookingPort saveBooking) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code loadTicket} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withLoadTicket(LoadTicketPort loadTicket) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code saveTicket} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withSaveTicket(SaveTicketPort saveTicket) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code loadCustomer} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withLoadCustomer(LoadCustomerPort loadCustomer) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code saveCustomer} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withSaveCustomer(SaveCustomerPort saveCustomer) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code loadEventSummary} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withLoadEventSummary(LoadEventSummaryPort loadEventSummary) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code eventSalesAnalytics} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withEventSalesAnalytics(EventSalesAnalyticsPort eventSalesAnalytics) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code eventCancellation} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withEventCancellation(EventCancellationPort eventCancellation) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }

    /** This set with {@code refundRequests} replaced, e.g. by an adapter of your own for that one port. */
    public TicketingPorts withRefundRequests(RefundRequestPort refundRequests) {
        return new TicketingPorts(unitOfWork, clock, loadEvent, saveEvent, loadSeat, saveSeat, seatTransition,
                loadPaymentSession, savePaymentSession, claimExpiredPaymentSessions, loadBooking, saveBooking,
                loadTicket, saveTicket, loadCustomer, saveCustomer, loadEventSummary, eventSalesAnalytics,
                eventCancellation, refundRequests);
    }
}
