package io.ticketing.domain.model;

/**
 * Where a seat is: unique per event. A position is taken as its writer stored it: a seat migrated from the legacy
 * app by an earlier import may have a section of no-break or zero-width spaces, and must still load, or the seat map
 * of its whole event would fail. What an admin lays out is held to the rules of visible text (SeatBlock).
 */
public record SeatPosition(String section, String row, int number) {

    public SeatPosition {
        section = nonBlank(section, "section");
        row = nonBlank(row, "row");
        InvalidValueException.check(number > 0, "seat number must be positive: " + number);
    }

    /** The rule every writer of seats has kept: something besides whitespace (String.isBlank). */
    private static String nonBlank(String value, String name) {
        InvalidValueException.check(value != null && !value.isBlank(), name + " must not be blank");
        return value.strip();
    }

    @Override
    public String toString() {
        return section + "/" + row + "/" + number;
    }
}
