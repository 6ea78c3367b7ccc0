package io.ticketing.domain.service;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.SeatsUnavailableException;
import io.ticketing.domain.port.out.SeatTransitionPort;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/** Seats moving between states, for the services that move them: the one place that asks the port. */
final class SeatMoves {

    private final SeatTransitionPort seatTransition;

    SeatMoves(SeatTransitionPort seatTransition) {
        this.seatTransition = Objects.requireNonNull(seatTransition, "seatTransition");
    }

    /** For requests that may lose a race for seats: the caller's unit of work rolls back and the customer is told which seats. */
    void moveSeatsOrRefuse(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        Set<SeatId> refused = transition(eventId, seatIds, from, to);
        if (!refused.isEmpty()) {
            throw new SeatsUnavailableException(refused);
        }
    }

    /**
     * For seats an active checkout or a booking owns: they are in {@code from} by invariant, so a refusal
     * means the storage broke it; rolling back is all that is safe.
     */
    void moveOwnedSeats(String owner, EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        Set<SeatId> refused = transition(eventId, seatIds, from, to);
        if (!refused.isEmpty()) {
            throw new IllegalStateException("%s owns seats %s but they are not %s; the storage is inconsistent"
                    .formatted(owner, refused, from));
        }
    }

    /** A checkout ending without payment gives its seats back. */
    void releaseSeatsOf(PaymentSession session) {
        moveOwnedSeats("PaymentSession " + session.id(), session.eventId(), session.seatIds(),
                SeatStatus.RESERVED, SeatStatus.AVAILABLE);
    }

    private Set<SeatId> transition(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        from.moveTo(to, "Seat", seatIds); // the port is only ever asked for transitions SeatStatus allows
        return seatTransition.transitionSeats(eventId, seatIds, from, to);
    }
}
