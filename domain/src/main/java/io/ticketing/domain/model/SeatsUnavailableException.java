package io.ticketing.domain.model;

import java.util.Set;

/** Some requested seats could not be taken (already held, sold, blocked, or not of the event); none were taken. */
public final class SeatsUnavailableException extends DomainException {

    private final Set<SeatId> unavailable;

    public SeatsUnavailableException(Set<SeatId> unavailable) {
        super("SEATS_UNAVAILABLE", "seats %s are not available any more; choose other seats".formatted(unavailable));
        this.unavailable = Set.copyOf(unavailable);
    }

    public Set<SeatId> unavailable() {
        return unavailable;
    }
}
