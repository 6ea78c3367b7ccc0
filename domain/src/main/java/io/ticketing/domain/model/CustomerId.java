package io.ticketing.domain.model;

import java.util.UUID;

public record CustomerId(UUID value) implements Comparable<CustomerId> {

    public CustomerId {
        InvalidValueException.required(value, "CustomerId");
    }

    public static CustomerId newId() {
        return new CustomerId(Uuids.timeOrdered());
    }

    public static CustomerId parse(String text) {
        return new CustomerId(Uuids.parse(text, "CustomerId"));
    }

    @Override
    public int compareTo(CustomerId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
