package io.ticketing.domain.model;

/** A value or command that breaks its own invariants (blank title, negative price, limit of 0, ...). */
public final class InvalidValueException extends DomainException {

    public InvalidValueException(String message) {
        super("INVALID_VALUE", message);
    }

    public static void check(boolean valid, String message) {
        if (!valid) {
            throw new InvalidValueException(message);
        }
    }

    public static <T> T required(T value, String name) {
        check(value != null, name + " is required");
        return value;
    }

    /** {@code text} (null passes) is at most {@code max} characters as PostgreSQL counts them: code points, not UTF-16 units. */
    public static void checkLength(String text, int max, String name) {
        check(text == null || text.codePointCount(0, text.length()) <= max, name + " is longer than " + max + " characters");
    }

    public static String requiredText(String value, String name) {
        check(value != null && !value.isBlank(), name + " must not be blank");
        return value.strip();
    }
}
