package io.ticketing.domain.port.in;

import io.ticketing.domain.model.InvalidValueException;

import java.math.BigDecimal;
import java.util.List;

/** Seats {@code firstNumber..lastNumber} in each of {@code rows} of {@code section}, all at {@code price}. */
public record SeatBlock(String section, List<String> rows, int firstNumber, int lastNumber, BigDecimal price) {

    public SeatBlock {
        section = InvalidValueException.requiredText(section, "section");
        rows = List.copyOf(InvalidValueException.required(rows, "rows"));
        InvalidValueException.check(!rows.isEmpty(), "a seat block needs at least one row");
        InvalidValueException.check(firstNumber >= 1 && lastNumber >= firstNumber,
                "seat numbers must satisfy 1 <= first <= last: " + firstNumber + ".." + lastNumber);
        InvalidValueException.required(price, "price");
    }

    public long seatCount() {
        return (long) rows.size() * (lastNumber - firstNumber + 1);
    }
}
