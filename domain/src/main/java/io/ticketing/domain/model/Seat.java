package io.ticketing.domain.model;

/**
 * A seat of an event. Its status only changes through {@code SeatTransitionPort}, one conditional step
 * for many seats (and, when its event is cancelled, {@code EventCancellationPort.blockSeats}); {@code version} guards admin edits (price) against those changes.
 */
public record Seat(SeatId id, EventId eventId, SeatPosition position, Money price, SeatStatus status, long version) {

    public Seat {
        InvalidValueException.required(id, "seat id");
        InvalidValueException.required(eventId, "event id");
        InvalidValueException.required(position, "seat position");
        InvalidValueException.required(price, "price").requireAtMostOnePrice("price");
        InvalidValueException.required(status, "seat status");
    }

    public static Seat available(EventId eventId, SeatPosition position, Money price) {
        return new Seat(SeatId.newId(), eventId, position, price, SeatStatus.AVAILABLE, 0);
    }

    public Seat moveTo(SeatStatus next) {
        return new Seat(id, eventId, position, price, status.moveTo(next, "Seat", id), version);
    }

    public Seat reprice(Money newPrice) {
        return new Seat(id, eventId, position, newPrice, status, version);
    }

    public Seat withVersion(long storedVersion) {
        return new Seat(id, eventId, position, price, status, storedVersion);
    }
}
