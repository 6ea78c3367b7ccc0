package io.ticketing.api.web;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.ApiKeyService;
import io.ticketing.domain.service.AuditTrailService;
import io.ticketing.domain.service.PaymentWebhookService;
import io.ticketing.domain.service.RefundResultService;
import io.ticketing.domain.service.RequestService;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.inmemory.InMemoryTicketingAdapter;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The web layer's use cases over in-memory ports, for tests that need no database: no API keys, no trail, no ledger. */
final class InMemoryUseCases {

    private InMemoryUseCases() {
    }

    static ApiUseCases create(Clock clock) {
        InMemoryTicketingAdapter adapter = new InMemoryTicketingAdapter();
        TicketingPorts ports = TicketingPorts.of(adapter, clock);
        TicketingServices services = TicketingServices.wire(ports);
        var events = services.events();
        var seats = services.seats();
        var checkouts = services.checkouts();
        var bookings = services.bookings();
        var cancellations = services.cancellations();
        return new ApiUseCases(events, events, events, events, events, events, cancellations, cancellations, events, events,
                seats, seats, seats,
                services.statistics(), services.statistics(),
                checkouts, checkouts, checkouts, checkouts,
                new PaymentWebhookService(ports.unitOfWork(), (eventId, type, session) -> true, ports.loadPaymentSession(),
                        services.paymentResults(),
                        new RefundResultService(ports.unitOfWork(), ports.clock(), ports.refundRequests(), ports.loadTicket(),
                                ports.saveTicket())),
                bookings, bookings, bookings, bookings, bookings, bookings, bookings, bookings,
                services.checkIn(),
                services.customers(),
                new ApiKeyService(new io.ticketing.domain.port.out.ApiKeyPort() {
                    @Override
                    public Optional<io.ticketing.domain.model.ApiKey> loadActiveApiKey(String keyHash) {
                        return Optional.empty();
                    }

                    @Override
                    public void insertApiKey(io.ticketing.domain.model.ApiKey key, String keyHash) {
                        throw new UnsupportedOperationException("no keys in this test");
                    }
                }),
                new RequestService(ports.unitOfWork(), adapter),
                new AuditTrailService((eventId, entityType, entityId, beforeId, limit) -> List.of()));
    }
}
