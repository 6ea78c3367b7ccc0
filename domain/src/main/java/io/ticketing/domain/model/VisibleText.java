package io.ticketing.domain.model;

/**
 * Text as a person sees it. A code point shows nothing when it is whitespace or a space (the no-break ones
 * too: U+00A0, U+3000), a control character (U+0001, ESC) or a format character (U+200B, U+2060, U+FEFF);
 * text of nothing else is blank, however long. The database holds the same rule (V20,
 * ticketing.has_visible_text), so that what one refuses the other never holds.
 */
public final class VisibleText {

    private VisibleText() {
    }

    static boolean showsNothing(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || Character.isISOControl(codePoint)
                || Character.getType(codePoint) == Character.FORMAT;
    }

    public static boolean isBlank(String text) {
        return text.codePoints().allMatch(VisibleText::showsNothing);
    }

    /** Whether {@code text} holds a C0 or C1 control character (a line break, a tab, ESC, …) anywhere. */
    public static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(Character::isISOControl);
    }

    /**
     * {@code text} without what shows nothing at either end. Tag characters (U+E0020 to U+E007F) stay: they end the
     * emoji of a flag such as England's, which would lose its meaning without them.
     */
    public static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && strippable(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && strippable(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    private static boolean strippable(int codePoint) {
        return showsNothing(codePoint) && !(codePoint >= 0xE0020 && codePoint <= 0xE007F);
    }
}
