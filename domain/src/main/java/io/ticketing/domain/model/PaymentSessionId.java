package io.ticketing.domain.model;

import java.util.UUID;

public record PaymentSessionId(UUID value) implements Comparable<PaymentSessionId> {

    public PaymentSessionId {
        InvalidValueException.required(value, "PaymentSessionId");
    }

    public static PaymentSessionId newId() {
        return new PaymentSessionId(Uuids.timeOrdered());
    }

    public static PaymentSessionId parse(String text) {
        return new PaymentSessionId(Uuids.parse(text, "PaymentSessionId"));
    }

    @Override
    public int compareTo(PaymentSessionId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
