package io.ticketing.domain.model;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret printed on a ticket: 128 random bits, URL-safe, so that it cannot be guessed from other codes.
 * Tickets migrated from the legacy app keep the code they were printed with.
 */
public record TicketCode(String value) {

    private static final int RANDOM_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public TicketCode {
        InvalidValueException.required(value, "ticket code");
        // New codes are 22 URL-safe characters; codes migrated from the legacy app are what it printed
        // (e.g. "TK-3F9A0C11D2B7"): 8 characters at least, as the database requires, and no spaces.
        InvalidValueException.check(value.matches("[\\x21-\\x7E]{8,128}"), "malformed ticket code");
    }

    public static TicketCode random() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return new TicketCode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Codes are secrets: keep them out of logs and exception messages. */
    @Override
    public String toString() {
        return "TicketCode[" + value.substring(0, 4) + "...]";
    }
}
