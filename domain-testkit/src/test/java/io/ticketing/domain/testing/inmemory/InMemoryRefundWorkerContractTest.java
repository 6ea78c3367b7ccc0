package io.ticketing.domain.testing.inmemory;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.RefundWorkerContract;

import java.time.Clock;

class InMemoryRefundWorkerContractTest extends RefundWorkerContract {

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        return InMemoryTicketingAdapter.newPorts(clock);
    }
}
