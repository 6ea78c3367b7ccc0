package io.ticketing.domain.port.in;

import io.ticketing.domain.model.InvalidValueException;

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
        section = Normalizer.normalize(InvalidValueException.requiredText(section, "section"), Normalizer.Form.NFC);
        InvalidValueException.checkOneLine(section, "section");
        InvalidValueException.checkLength(section, MAX_NAME_LENGTH, "section");
        rows = InvalidValueException.required(rows, "rows").stream()
                .map(row -> Normalizer.normalize(InvalidValueException.requiredText(row, "row"), Normalizer.Form.NFC)).toList();
        InvalidValueException.check(!rows.isEmpty(), "a seat block needs at least one row");
        rows.forEach(row -> {
            InvalidValueException.checkOneLine(row, "a row");
            InvalidValueException.checkLength(row, MAX_NAME_LENGTH, "a row");
        });
        InvalidValueException.check(firstNumber >= 1 && lastNumber >= firstNumber,
                "seat numbers must satisfy 1 <= first <= last: " + firstNumber + ".." + lastNumber);
        InvalidValueException.required(price, "price");
    }

    public long seatCount() {
        return (long) rows.size() * (lastNumber - firstNumber + 1);
    }
}
