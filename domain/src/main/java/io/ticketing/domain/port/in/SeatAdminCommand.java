package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.SeatId;

import java.util.List;

/** An admin blocking or unblocking seats of an event. */
public record SeatAdminCommand(Actor actor, EventId eventId, List<SeatId> seatIds) {

    public SeatAdminCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        seatIds = SeatIds.distinctNonEmpty(seatIds);
    }
}
