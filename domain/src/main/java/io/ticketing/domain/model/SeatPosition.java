package io.ticketing.domain.model;

/**
 * Where a seat is: unique per event. A position is taken as its writer stored it: a seat migrated from the legacy
 * app by an earlier import may have a section of no-break or zero-width spaces, and must still load, or the seat map
 * of its whole event would fail. What an admin lays out is held to the rules of visible text (SeatBlock).
 */
public record SeatPosition(String section, String row, int number) {

    public SeatPosition {
        section = InvalidValueException.storedText(section, "section");
        row = InvalidValueException.storedText(row, "row");
        InvalidValueException.check(number > 0, "seat number must be positive: " + number);
    }

    @Override
    public String toString() {
        return section + "/" + row + "/" + number;
    }
}
