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

    public static String requiredText(String value, String name) {
        check(value != null && !value.isBlank(), name + " must not be blank");
        return value.strip();
    }
}
