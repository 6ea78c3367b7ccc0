package io.ticketing.domain.service;

import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.out.TicketingPorts;

/**
 * Every use case of the domain, each service given the ports it uses out of one set: the composition an
 * embedder or the application's wiring creates once. Callers keep the use-case interfaces they need,
 * not this record.
 */
public record TicketingServices(EventService events, EventCancellationService cancellations, SeatService seats,
                                CheckoutService checkouts,
                                PaymentResultService paymentResults, CheckoutExpiryService checkoutExpiry,
                                BookingService bookings, CheckInService checkIn, EventStatisticsService statistics,
                                CustomerService customers) {

    public static TicketingServices wire(TicketingPorts ports, CheckoutLimits limits) {
        return new TicketingServices(
                new EventService(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.saveEvent(), ports.loadEventSummary()),
                new EventCancellationService(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.saveEvent(), ports.seatTransition(), ports.eventCancellation(), ports.refundRequests()),
                new SeatService(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.loadSeat(), ports.saveSeat(), ports.seatTransition()),
                new CheckoutService(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.loadSeat(), ports.seatTransition(), ports.loadPaymentSession(), ports.savePaymentSession(), ports.loadCustomer(), limits),
                new PaymentResultService(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.loadSeat(), ports.seatTransition(), ports.loadPaymentSession(), ports.savePaymentSession(), ports.loadBooking(), ports.saveBooking(), ports.loadTicket(), ports.saveTicket(), ports.refundRequests(), ports.eventCancellation()),
                new CheckoutExpiryService(ports.unitOfWork(), ports.clock(), ports.seatTransition(), ports.savePaymentSession(), ports.claimExpiredPaymentSessions()),
                new BookingService(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.loadSeat(), ports.seatTransition(), ports.loadBooking(), ports.saveBooking(), ports.loadTicket(), ports.saveTicket(), ports.refundRequests()),
                new CheckInService(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.loadTicket(), ports.saveTicket()),
                new EventStatisticsService(ports.unitOfWork(), ports.clock(), ports.loadEventSummary(), ports.eventSalesAnalytics()),
                new CustomerService(ports.unitOfWork(), ports.clock(), ports.loadCustomer(), ports.saveCustomer()));
    }

    public static TicketingServices wire(TicketingPorts ports) {
        return wire(ports, CheckoutLimits.defaults());
    }
}
