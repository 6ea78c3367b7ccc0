package io.ticketing.domain.model;

import java.util.UUID;

public record EventId(UUID value) implements Comparable<EventId> {

    public EventId {
        InvalidValueException.required(value, "EventId");
    }

    public static EventId newId() {
        return new EventId(Uuids.timeOrdered());
    }

    public static EventId parse(String text) {
        return new EventId(Uuids.parse(text, "EventId"));
    }

    @Override
    public int compareTo(EventId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
