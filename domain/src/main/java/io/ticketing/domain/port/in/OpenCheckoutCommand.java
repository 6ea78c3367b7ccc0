package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.SeatId;

import java.util.List;

/** A customer (or an operator for them) holding seats of an event while paying. */
public record OpenCheckoutCommand(Actor actor, CustomerId customerId, EventId eventId, List<SeatId> seatIds) {

    public OpenCheckoutCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(customerId, "customerId");
        InvalidValueException.required(eventId, "eventId");
        seatIds = SeatIds.distinctNonEmpty(seatIds);
    }

    public static OpenCheckoutCommand byCustomer(CustomerId customerId, EventId eventId, List<SeatId> seatIds) {
        return new OpenCheckoutCommand(Actor.customer(customerId), customerId, eventId, seatIds);
    }
}
