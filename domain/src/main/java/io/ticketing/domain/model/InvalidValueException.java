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

    /**
     * {@code value} without what shows nothing at either end; refused when nothing of it shows ({@link VisibleText}).
     * The rule for text a client or an operator gives now; text loaded back from the database takes {@link #storedText}.
     */
    public static String requiredText(String value, String name) {
        check(value != null && !VisibleText.isBlank(value), name + " must not be blank");
        return VisibleText.strip(value);
    }

    /**
     * {@code value} as a writer stored it, only stripped of whitespace: refused only when it is whitespace alone
     * (String.isBlank), what every writer has always kept out. Rows written before {@link VisibleText} (a name of
     * no-break spaces, an email migrated with one) must still load, and load as stored: a column whose CHECK holds
     * visible text (V20) loads with {@link #requiredText} instead.
     */
    public static String storedText(String value, String name) {
        check(value != null && !value.isBlank(), name + " must not be blank");
        return value.strip();
    }

    /**
     * Text printed on one line of a ticket (a title, a seat's section or row) holds no control character nor line or
     * paragraph separator (null passes).
     */
    public static void checkOneLine(String text, String name) {
        check(text == null || !VisibleText.breaksLines(text), name + " must not contain control characters (line breaks, tabs, …)");
    }
}
