package io.ticketing.domain.model;

/** A seat of a booking with the price paid for it. */
public record BookedSeat(SeatId seatId, Money price) {

    public BookedSeat {
        InvalidValueException.required(seatId, "seat id");
        InvalidValueException.required(price, "price").requireAtMostOnePrice("price");
    }
}
