package io.ticketing.domain.model;

/** Where a seat is: unique per event. */
public record SeatPosition(String section, String row, int number) {

    public SeatPosition {
        section = InvalidValueException.requiredText(section, "section");
        row = InvalidValueException.requiredText(row, "row");
        InvalidValueException.check(number > 0, "seat number must be positive: " + number);
    }

    @Override
    public String toString() {
        return section + "/" + row + "/" + number;
    }
}
