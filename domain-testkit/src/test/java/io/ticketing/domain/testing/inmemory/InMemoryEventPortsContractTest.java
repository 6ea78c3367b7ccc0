package io.ticketing.domain.testing.inmemory;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.EventPortsContract;

import java.time.Clock;

class InMemoryEventPortsContractTest extends EventPortsContract {

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        return InMemoryTicketingAdapter.newPorts(clock);
    }
}
