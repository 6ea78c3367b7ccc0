package io.ticketing.domain.testing.inmemory;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.PaymentAndBookingContract;

import java.time.Clock;

class InMemoryPaymentAndBookingContractTest extends PaymentAndBookingContract {

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        return InMemoryTicketingAdapter.newPorts(clock);
    }
}
