package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.SeatId;

import java.math.BigDecimal;

/** An admin changing the price of a seat as they saw it at {@code expectedVersion}. */
public record ChangeSeatPriceCommand(Actor actor, EventId eventId, SeatId seatId, long expectedVersion, BigDecimal newPrice) {

    public ChangeSeatPriceCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        InvalidValueException.required(seatId, "seatId");
        InvalidValueException.check(expectedVersion >= 0, "version must not be negative");
        InvalidValueException.required(newPrice, "newPrice");
    }
}
