package io.ticketing.domain.testing.inmemory;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.SeatReservationContract;

import java.time.Clock;

class InMemorySeatReservationContractTest extends SeatReservationContract {

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        return InMemoryTicketingAdapter.newPorts(clock);
    }
}
