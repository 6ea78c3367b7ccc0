package io.ticketing.domain.model;

import java.util.UUID;

public record RefundRequestId(UUID value) implements Comparable<RefundRequestId> {

    public RefundRequestId {
        InvalidValueException.required(value, "RefundRequestId");
    }

    public static RefundRequestId newId() {
        return new RefundRequestId(Uuids.timeOrdered());
    }

    @Override
    public int compareTo(RefundRequestId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
