package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.InvalidValueException;

/** Someone reading or cancelling one booking. */
public record BookingCommand(Actor actor, BookingId bookingId) {

    public BookingCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(bookingId, "bookingId");
    }
}
