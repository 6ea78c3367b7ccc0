package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.SeatsUnavailableException;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.TicketingPorts;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/** What every service does the same way: units of work, the clock, loading what must exist, moving seats. */
abstract class ServiceSupport {

    protected final TicketingPorts ports;

    protected ServiceSupport(TicketingPorts ports) {
        this.ports = Objects.requireNonNull(ports, "ports");
    }

    protected <T> T inUnitOfWork(Actor actor, Supplier<T> work) {
        return ports.unitOfWork().inUnitOfWork(actor, work);
    }

    protected Instant now() {
        return ports.clock().instant();
    }

    protected Event loadEvent(EventId eventId, RowLock lock) {
        return ports.loadEvent().loadEvent(eventId, lock).orElseThrow(() -> new NotFoundException("Event", eventId));
    }

    /** For requests that may lose a race for seats: the caller's unit of work rolls back and the customer is told which seats. */
    protected void moveSeatsOrRefuse(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        Set<SeatId> refused = transition(eventId, seatIds, from, to);
        if (!refused.isEmpty()) {
            throw new SeatsUnavailableException(refused);
        }
    }

    /**
     * For seats an active checkout or a booking owns: they are in {@code from} by invariant, so a refusal
     * means the storage broke it; rolling back is all that is safe.
     */
    protected void moveOwnedSeats(String owner, EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        Set<SeatId> refused = transition(eventId, seatIds, from, to);
        if (!refused.isEmpty()) {
            throw new IllegalStateException("%s owns seats %s but they are not %s; the storage is inconsistent"
                    .formatted(owner, refused, from));
        }
    }

    /** A checkout ending without payment gives its seats back. */
    protected void releaseSeatsOf(PaymentSession session) {
        moveOwnedSeats("PaymentSession " + session.id(), session.eventId(), session.seatIds(),
                SeatStatus.RESERVED, SeatStatus.AVAILABLE);
    }

    private Set<SeatId> transition(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        from.moveTo(to, "Seat", seatIds); // the port is only ever asked for transitions SeatStatus allows
        return ports.seatTransition().transitionSeats(eventId, seatIds, from, to);
    }
}
