package io.ticketing.domain.service;

import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.out.TicketingPorts;

/** Every use case of the domain, wired to one set of ports: what an embedder or the API bootstrap creates once. */
public record TicketingServices(EventService events, SeatService seats, CheckoutService checkouts,
                                PaymentResultService paymentResults, CheckoutExpiryService checkoutExpiry,
                                BookingService bookings, CheckInService checkIn, EventStatisticsService statistics,
                                CustomerService customers) {

    public static TicketingServices wire(TicketingPorts ports, CheckoutLimits limits) {
        return new TicketingServices(new EventService(ports), new SeatService(ports), new CheckoutService(ports, limits),
                new PaymentResultService(ports), new CheckoutExpiryService(ports), new BookingService(ports),
                new CheckInService(ports), new EventStatisticsService(ports), new CustomerService(ports));
    }

    public static TicketingServices wire(TicketingPorts ports) {
        return wire(ports, CheckoutLimits.defaults());
    }
}
