package io.ticketing.domain.port.in;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.VisibleText;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.List;

/** Seats {@code firstNumber..lastNumber} in each of {@code rows} of {@code section}, all at {@code price}. */
public record SeatBlock(String section, List<String> rows, int firstNumber, int lastNumber, BigDecimal price) {

    /**
     * The longest section or row name: PostgreSQL indexes a seat's position (event, section, row, number), and
     * an index entry must fit in a third of a page (about 2,700 bytes), so a longer name would fail in the database.
     */
    public static final int MAX_NAME_LENGTH = 100;

    /**
     * Section and rows are taken in Unicode's composed form (NFC): "é" typed as one character and as "e" with a combining
     * accent look the same on a ticket, so they are one section, not two positions that a customer cannot tell apart.
     */
    public SeatBlock {
        section = position(section, "section");
        InvalidValueException.checkLength(section, MAX_NAME_LENGTH, "section");
        rows = InvalidValueException.required(rows, "rows").stream().map(row -> position(row, "a row")).toList();
        InvalidValueException.check(!rows.isEmpty(), "a seat block needs at least one row");
        rows.forEach(row -> InvalidValueException.checkLength(row, MAX_NAME_LENGTH, "a row"));
        InvalidValueException.check(firstNumber >= 1 && lastNumber >= firstNumber,
                "seat numbers must satisfy 1 <= first <= last: " + firstNumber + ".." + lastNumber);
        InvalidValueException.required(price, "price");
    }

    /**
     * A section or a row as given: one line (checked before anything is stripped: a tab or ESC at an end is refused, not
     * dropped), nothing hidden in it (a zero-width space or a soft hyphen would make a second position that prints as
     * the first), spaces at the ends stripped, composed (NFC).
     */
    private static String position(String given, String name) {
        String text = InvalidValueException.requiredText(given, name);
        InvalidValueException.checkOneLine(given, name);
        InvalidValueException.check(!VisibleText.hasHiddenCharacter(text),
                name + " must not contain invisible characters (zero-width or no-break spaces, soft hyphens, direction marks)");
        return Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    public long seatCount() {
        return (long) rows.size() * (lastNumber - firstNumber + 1);
    }
}
