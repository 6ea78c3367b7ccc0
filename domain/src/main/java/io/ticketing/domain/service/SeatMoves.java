package io.ticketing.domain.service;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.SeatsUnavailableException;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.SeatTransitionPort.Transition;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Seats moving between states, for the services that move them: the one place that asks the port. */
final class SeatMoves {

    private final SeatTransitionPort seatTransition;

    SeatMoves(SeatTransitionPort seatTransition) {
        this.seatTransition = Objects.requireNonNull(seatTransition, "seatTransition");
    }

    /**
     * For requests that may lose a race for seats: the caller's unit of work rolls back and the customer is
     * told which seats. Returns the seats moved, as they are now.
     */
    List<Seat> moveSeatsOrRefuse(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        Transition transition = transition(eventId, seatIds, from, to);
        if (!transition.done()) {
            throw new SeatsUnavailableException(transition.refused());
        }
        return transition.moved();
    }

    /**
     * For seats an active checkout or a booking owns: they are in {@code from} by invariant, so a refusal
     * means the storage broke it; rolling back is all that is safe.
     */
    List<Seat> moveOwnedSeats(String owner, EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        Transition transition = transition(eventId, seatIds, from, to);
        if (!transition.done()) {
            throw new IllegalStateException("%s owns seats %s but they are not %s; the storage is inconsistent"
                    .formatted(owner, transition.refused(), from));
        }
        return transition.moved();
    }

    /** A checkout ending without payment gives its seats back. */
    void releaseSeatsOf(PaymentSession session) {
        moveOwnedSeats("PaymentSession " + session.id(), session.eventId(), session.seatIds(),
                SeatStatus.RESERVED, SeatStatus.AVAILABLE);
    }

    private Transition transition(EventId eventId, Collection<SeatId> seatIds, SeatStatus from, SeatStatus to) {
        from.moveTo(to, "Seat", seatIds); // the port is only ever asked for transitions SeatStatus allows
        return seatTransition.transitionSeats(eventId, seatIds, from, to);
    }
}
