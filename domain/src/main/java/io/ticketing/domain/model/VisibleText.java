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

    /**
     * The code points that show nothing, as Java 17 (Unicode 13) classes them: whitespace, space, control and format
     * characters. Written out, not asked of Character, whose tables follow the JDK's Unicode version (21 adds
     * U+13439..U+1343F): on any JDK the rule stays the database's, code point for code point (DatabaseRefusalsTest).
     */
    private static final int[][] SHOW_NOTHING = {
            {0x0000, 0x0020}, {0x007F, 0x00A0}, {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C}, {0x06DD, 0x06DD},
            {0x070F, 0x070F}, {0x08E2, 0x08E2}, {0x1680, 0x1680}, {0x180E, 0x180E}, {0x2000, 0x200F}, {0x2028, 0x202F},
            {0x205F, 0x2064}, {0x2066, 0x206F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0x110BD, 0x110BD},
            {0x110CD, 0x110CD}, {0x13430, 0x13438}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
            {0xE0020, 0xE007F}};

    public static boolean showsNothing(int codePoint) {
        for (int[] range : SHOW_NOTHING) {
            if (codePoint < range[0]) {
                return false; // ranges in order
            }
            if (codePoint <= range[1]) {
                return true;
            }
        }
        return false;
    }

    public static boolean isBlank(String text) {
        return text.codePoints().allMatch(VisibleText::showsNothing);
    }

    /** Whether {@code text} holds a C0 or C1 control character (a line break, a tab, ESC, …) anywhere. */
    public static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(Character::isISOControl);
    }

    /**
     * Whether {@code text} would not print as one line: it holds a control character ({@link #hasControlCharacter}) or
     * one of Unicode's own line breaks, U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR), which are not
     * control characters but break a line all the same (in a browser's text, an editor, JavaScript's strings).
     */
    public static boolean breaksLines(String text) {
        return text.codePoints().anyMatch(VisibleText::breaksLine);
    }

    private static boolean breaksLine(int codePoint) {
        return Character.isISOControl(codePoint) || codePoint == 0x2028 || codePoint == 0x2029;
    }

    /**
     * {@code text} on one line of a terminal: each character that would break the line or drive the terminal (a control
     * character such as a line break or ESC, U+2028, U+2029) written as its escape, {@code \\u001b}, and nothing else
     * changed. For echoing what a user gave in a message.
     */
    public static String escapeLineBreaking(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (breaksLine(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    /**
     * Whether {@code text} holds, besides plain spaces, a code point that shows nothing (a zero-width space, a no-break
     * space, a soft hyphen, a direction mark): text with one looks the same as text without it. Tag characters, which
     * end a flag's emoji, do not count.
     */
    public static boolean hasHiddenCharacter(String text) {
        return text.codePoints().anyMatch(c -> c != ' ' && strippable(c));
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
