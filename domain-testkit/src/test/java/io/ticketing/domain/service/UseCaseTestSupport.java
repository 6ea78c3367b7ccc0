package io.ticketing.domain.service;

import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.MutableClock;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.inmemory.InMemoryTicketingAdapter;

import java.time.Duration;
import java.time.Instant;

/** Use cases over the in-memory adapter, with a hand-moved clock and the contract suite's fixtures. */
abstract class UseCaseTestSupport {

    static final CheckoutLimits LIMITS = new CheckoutLimits(Duration.ofMinutes(5), 4, 2);

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    final InMemoryTicketingAdapter adapter = new InMemoryTicketingAdapter();
    final TicketingPorts ports = TicketingPorts.of(adapter, clock);
    final TicketingServices services = TicketingServices.wire(ports, LIMITS);
    final TicketingFixtures given = new TicketingFixtures(services, clock);
}
