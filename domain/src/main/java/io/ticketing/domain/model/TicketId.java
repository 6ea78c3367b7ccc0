package io.ticketing.domain.model;

import java.util.UUID;

public record TicketId(UUID value) implements Comparable<TicketId> {

    public TicketId {
        InvalidValueException.required(value, "TicketId");
    }

    public static TicketId newId() {
        return new TicketId(Uuids.timeOrdered());
    }

    public static TicketId parse(String text) {
        return new TicketId(Uuids.parse(text, "TicketId"));
    }

    @Override
    public int compareTo(TicketId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
