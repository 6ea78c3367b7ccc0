package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.SeatReservationContract;

import java.time.Clock;

/** The domain's port contract, against the MyBatis adapter on a fresh PostgreSQL database per test. */
class MyBatisSeatReservationContractTest extends SeatReservationContract {

    private PostgresPorts postgres;

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        postgres = new PostgresPorts(clock);
        return postgres.ports;
    }

    @Override
    protected void releasePorts(TicketingPorts ports) {
        postgres.close();
    }
}
