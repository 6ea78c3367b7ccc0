package io.ticketing.domain.port.in;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.SeatId;

import java.util.List;
import java.util.Objects;

/** Validation shared by the commands that name seats. */
final class SeatIds {

    private SeatIds() {
    }

    static List<SeatId> distinctNonEmpty(List<SeatId> seatIds) {
        InvalidValueException.required(seatIds, "seatIds");
        InvalidValueException.check(!seatIds.isEmpty(), "at least one seat is required");
        InvalidValueException.check(seatIds.stream().allMatch(Objects::nonNull), "seat ids must not be null");
        InvalidValueException.check(seatIds.stream().distinct().count() == seatIds.size(), "seat ids must be distinct");
        return List.copyOf(seatIds);
    }
}
