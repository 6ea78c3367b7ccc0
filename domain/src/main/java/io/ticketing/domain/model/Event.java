package io.ticketing.domain.model;

import java.time.Instant;
import java.util.Currency;

/**
 * An event. Immutable: every change returns a new instance with the same {@code version}; the
 * {@code SaveEventPort} stores it only if the stored version still equals it (optimistic locking).
 * {@code deletion} is null unless the event is soft-deleted.
 */
public record Event(EventId id, EventDetails details, Currency currency, EventStatus status,
                    Deletion deletion, long version, Instant createdAt) {

    private static final String ENTITY = "Event";

    public Event {
        InvalidValueException.required(id, "event id");
        InvalidValueException.required(details, "event details");
        InvalidValueException.required(currency, "currency");
        InvalidValueException.required(status, "event status");
        InvalidValueException.required(createdAt, "createdAt");
        InvalidValueException.check(version >= 0, "version must not be negative");
    }

    public static Event draft(EventDetails details, Currency currency, Instant now) {
        return new Event(EventId.newId(), details, currency, EventStatus.DRAFT, null, 0, now);
    }

    public Event publish() {
        return withStatus(EventStatus.PUBLISHED);
    }

    public Event cancel() {
        return withStatus(EventStatus.CANCELLED);
    }

    public Event edit(EventDetails newDetails) {
        return new Event(id, newDetails, currency, status, deletion, version, createdAt);
    }

    public Event markDeleted(Instant at, Actor by) {
        return new Event(id, details, currency, status, new Deletion(at, by.auditName()), version, createdAt);
    }

    public Event restore() {
        return new Event(id, details, currency, status, null, version, createdAt);
    }

    /** For adapters: the state as stored after a successful save. */
    public Event withVersion(long storedVersion) {
        return new Event(id, details, currency, status, deletion, storedVersion, createdAt);
    }

    public boolean isDeleted() {
        return deletion != null;
    }

    public boolean hasStartedAt(Instant now) {
        return !now.isBefore(details.startsAt());
    }

    /** How long an event without an end ({@code endsAt} null) is taken to last. */
    public static final java.time.Duration OPEN_END = java.time.Duration.ofDays(1);

    /** Over: past its end, or for one without an end, {@link #OPEN_END} after its start. */
    public boolean hasEndedAt(Instant now) {
        return !now.isBefore(details.endsAt() != null ? details.endsAt() : details.startsAt().plus(OPEN_END));
    }

    /** Visible to customers and anonymous visitors: published or cancelled, never drafts or deleted events. */
    public boolean isPublic() {
        return !isDeleted() && status != EventStatus.DRAFT;
    }

    private Event withStatus(EventStatus next) {
        return new Event(id, details, currency, status.moveTo(next, ENTITY, id), deletion, version, createdAt);
    }
}
