package io.ticketing.domain.model;

import java.time.Instant;
import java.util.Locale;

/** A buyer. Emails are unique, compared case-insensitively (stored lower case). */
public record Customer(CustomerId id, String email, String name, Instant createdAt) {

    public Customer {
        InvalidValueException.required(id, "customer id");
        email = normalizeEmail(email);
        name = InvalidValueException.requiredText(name, "name");
        InvalidValueException.required(createdAt, "createdAt");
    }

    public static Customer register(String email, String name, Instant now) {
        return new Customer(CustomerId.newId(), email, name, now);
    }

    public static String normalizeEmail(String email) {
        String normalized = InvalidValueException.requiredText(email, "email").toLowerCase(Locale.ROOT);
        InvalidValueException.check(normalized.matches("[^@\\s]+@[^@\\s]+"), "not an email address: " + email);
        return normalized;
    }
}
