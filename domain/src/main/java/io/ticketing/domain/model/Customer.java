package io.ticketing.domain.model;

import java.time.Instant;
import java.util.Locale;

/**
 * A buyer. Emails are unique, compared case-insensitively (stored lower case). A new customer gives a
 * well-formed email and a name ({@link #register}); a customer migrated from the legacy app is taken as stored,
 * which may mean an email this class would not accept today (one starting with a no-break space) or an empty name.
 */
public record Customer(CustomerId id, String email, String name, Instant createdAt) {

    public Customer {
        InvalidValueException.required(id, "customer id");
        email = InvalidValueException.storedText(email, "email").toLowerCase(Locale.ROOT);
        name = InvalidValueException.required(name, "name").strip();
        InvalidValueException.required(createdAt, "createdAt");
    }

    /**
     * A new customer. Their email holds no character that shows nothing ({@link VisibleText}) inside it either:
     * "ann\u200b@example.org" would be a second account that looks like Ann's. Looking a customer up
     * ({@link #accountEmail}) does not refuse one, so that a migrated customer whose address holds one still signs in.
     */
    public static Customer register(String email, String name, Instant now) {
        String normalized = normalizeEmail(email);
        InvalidValueException.check(normalized.codePoints().noneMatch(VisibleText::showsNothing), "not an email address: " + email);
        return new Customer(CustomerId.newId(), normalized, InvalidValueException.requiredText(name, "name"), now);
    }

    /**
     * An address as accounts are kept and looked up: without what shows nothing at either end, in lower case. Any
     * stored address is found by it, also a migrated one that is no well-formed address ({@code "odd.name@"}): the
     * legacy app let its customers keep those, and they still sign in with them.
     */
    public static String accountEmail(String email) {
        return InvalidValueException.requiredText(email, "email").toLowerCase(Locale.ROOT);
    }

    /** A new customer's address: {@link #accountEmail} of a well-formed one (one {@code @}, no space, no empty domain label). */
    public static String normalizeEmail(String email) {
        String normalized = accountEmail(email);
        // A local part and a domain of dot-separated labels, none empty (x@.example.com, x@example..com are no addresses).
        InvalidValueException.check(normalized.matches("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)*"), "not an email address: " + email);
        return normalized;
    }
}
