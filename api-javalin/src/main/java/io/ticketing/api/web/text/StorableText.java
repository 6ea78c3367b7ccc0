package io.ticketing.api.web.text;

/**
 * Text PostgreSQL can store: no NUL, no half of a surrogate pair (it would be stored as '?'). Whatever the API
 * reads and may store, a JSON string or a token's claim, is held to this rule, so that the database never answers 500.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why {@code text} cannot be stored as PostgreSQL text, or null when it can. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain a NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a whole pair: one character beyond the Basic Multilingual Plane
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired surrogate (" + String.format("\\u%04x", (int) c) + ")";
            }
        }
        return null;
    }
}
