package io.ticketing.domain.policy;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;

import java.time.Instant;
import java.util.List;

/**
 * A customer asking to hold seats: in a new checkout ({@code existingSession} null) or in an open one.
 * {@code foundSeats} are the requested seats that exist in the event.
 */
public record CheckoutRequest(Event event, List<SeatId> requestedSeatIds, List<Seat> foundSeats,
                              PaymentSession existingSession, long openCheckoutsOfCustomer,
                              CheckoutLimits limits, Instant now) {

    public CheckoutRequest {
        requestedSeatIds = List.copyOf(requestedSeatIds);
        foundSeats = List.copyOf(foundSeats);
    }

    boolean opensNewSession() {
        return existingSession == null;
    }

    int seatsAlreadyHeld() {
        return opensNewSession() ? 0 : existingSession.seatIds().size();
    }
}
