package io.ticketing.domain.testing.mixed;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.EventPortsContract;
import io.ticketing.domain.testing.inmemory.InMemoryTicketingAdapter;

import java.time.Clock;

/** The contract holds when one port's adapter is a third party's and the in-memory adapter keeps the rest. */
class MixedPortsEventPortsContractTest extends EventPortsContract {

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        CustomerDirectory customers = new CustomerDirectory();
        return InMemoryTicketingAdapter.newPorts(clock).withLoadCustomer(customers).withSaveCustomer(customers);
    }
}
