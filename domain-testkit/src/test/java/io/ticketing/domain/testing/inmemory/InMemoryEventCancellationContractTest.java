package io.ticketing.domain.testing.inmemory;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.EventCancellationContract;

import java.time.Clock;

class InMemoryEventCancellationContractTest extends EventCancellationContract {

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        return InMemoryTicketingAdapter.newPorts(clock);
    }
}
