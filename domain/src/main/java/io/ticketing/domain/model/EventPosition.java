package io.ticketing.domain.model;

import java.time.Instant;

/**
 * A place in the list of upcoming events (by start, then id): the start and id an event had when a page ended with it.
 * Not the event itself, whose start an admin may move before the next page is read: the pages go on from where the last
 * one ended.
 */
public record EventPosition(Instant startsAt, EventId eventId) {

    public EventPosition {
        InvalidValueException.required(startsAt, "startsAt");
        InvalidValueException.required(eventId, "eventId");
    }

    /** Where a page that ends with {@code last} ends. */
    public static EventPosition of(Event last) {
        return new EventPosition(last.details().startsAt(), last.id());
    }
}
