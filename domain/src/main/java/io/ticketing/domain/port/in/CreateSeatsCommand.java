package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

import java.util.List;

/** An admin laying out seats of an event in bulk (at most {@value #MAX_SEATS} per command). */
public record CreateSeatsCommand(Actor actor, EventId eventId, List<SeatBlock> blocks) {

    public static final int MAX_SEATS = 100_000;

    public CreateSeatsCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        blocks = List.copyOf(InvalidValueException.required(blocks, "blocks"));
        InvalidValueException.check(!blocks.isEmpty(), "at least one seat block is required");
        long seats = blocks.stream().mapToLong(SeatBlock::seatCount).sum();
        InvalidValueException.check(seats <= MAX_SEATS, "at most " + MAX_SEATS + " seats per command, not " + seats);
    }
}
