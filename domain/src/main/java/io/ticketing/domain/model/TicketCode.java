package io.ticketing.domain.model;

import java.security.SecureRandom;
import java.util.Base64;

/** The secret printed on a ticket: 128 random bits, URL-safe, so that it cannot be guessed from other codes. */
public record TicketCode(String value) {

    private static final int RANDOM_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public TicketCode {
        value = InvalidValueException.requiredText(value, "ticket code");
        InvalidValueException.check(value.matches("[A-Za-z0-9_-]{16,64}"), "malformed ticket code");
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
