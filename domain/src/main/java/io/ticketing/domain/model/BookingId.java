package io.ticketing.domain.model;

import java.util.UUID;

public record BookingId(UUID value) implements Comparable<BookingId> {

    public BookingId {
        InvalidValueException.required(value, "BookingId");
    }

    public static BookingId newId() {
        return new BookingId(Uuids.timeOrdered());
    }

    public static BookingId parse(String text) {
        return new BookingId(Uuids.parse(text, "BookingId"));
    }

    @Override
    public int compareTo(BookingId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
