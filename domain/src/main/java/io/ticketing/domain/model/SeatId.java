package io.ticketing.domain.model;

import java.util.UUID;

public record SeatId(UUID value) implements Comparable<SeatId> {

    public SeatId {
        InvalidValueException.required(value, "SeatId");
    }

    public static SeatId newId() {
        return new SeatId(Uuids.timeOrdered());
    }

    public static SeatId parse(String text) {
        return new SeatId(Uuids.parse(text, "SeatId"));
    }

    @Override
    public int compareTo(SeatId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
