package io.ticketing.domain.testing.mixed;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.SeatReservationContract;
import io.ticketing.domain.testing.inmemory.InMemoryTicketingAdapter;

import java.time.Clock;

/** The contract holds when one port's adapter is a third party's and the in-memory adapter keeps the rest. */
class MixedPortsSeatReservationContractTest extends SeatReservationContract {

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        CustomerDirectory customers = new CustomerDirectory();
        return InMemoryTicketingAdapter.newPorts(clock).withLoadCustomer(customers).withSaveCustomer(customers);
    }
}
