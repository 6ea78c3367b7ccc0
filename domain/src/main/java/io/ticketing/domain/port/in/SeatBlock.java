package io.ticketing.domain.port.in;

import io.ticketing.domain.model.InvalidValueException;

import java.math.BigDecimal;
import java.util.List;

/** Seats {@code firstNumber..lastNumber} in each of {@code rows} of {@code section}, all at {@code price}. */
public record SeatBlock(String section, List<String> rows, int firstNumber, int lastNumber, BigDecimal price) {

    /**
     * The longest section or row name: PostgreSQL indexes a seat's position (event, section, row, number), and
     * an index entry must fit in a third of a page (about 2,700 bytes), so a longer name would fail in the database.
     */
    public static final int MAX_NAME_LENGTH = 100;

    public SeatBlock {
        section = InvalidValueException.requiredText(section, "section");
        InvalidValueException.checkOneLine(section, "section");
        InvalidValueException.checkLength(section, MAX_NAME_LENGTH, "section");
        rows = InvalidValueException.required(rows, "rows").stream().map(row -> InvalidValueException.requiredText(row, "row")).toList();
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
