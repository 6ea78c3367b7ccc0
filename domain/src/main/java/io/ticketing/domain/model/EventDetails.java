package io.ticketing.domain.model;

import java.time.Instant;

/**
 * The editable description of an event. {@code endsAt} may be null (open end). What an admin writes is
 * held to {@link #checkAsInput()}; what is stored (events migrated from the legacy app included) only to
 * what the database holds: a title, and no end before the start.
 */
public record EventDetails(String title, String description, String venue, Instant startsAt, Instant endsAt) {

    public static final int MAX_TITLE_LENGTH = 200;
    public static final int MAX_VENUE_LENGTH = 200;
    public static final int MAX_DESCRIPTION_LENGTH = 10_000;

    public EventDetails {
        title = InvalidValueException.requiredText(title, "title");
        InvalidValueException.required(startsAt, "startsAt");
        InvalidValueException.check(endsAt == null || !endsAt.isBefore(startsAt), "endsAt must not be before startsAt");
    }

    /**
     * Details as an admin gives them, held to {@link #checkAsInput()}, their title checked for one line before its ends
     * are stripped (a title given as {@code "\u001b[31m"} is refused, not kept as {@code "[31m"}).
     */
    public static EventDetails given(String title, String description, String venue, Instant startsAt, Instant endsAt) {
        EventDetails details = new EventDetails(title, description, venue, startsAt, endsAt).checkAsInput();
        InvalidValueException.checkOneLine(title, "title");
        return details;
    }

    /**
     * The rules for details an admin creates or edits: a title of one line, a title and a venue of at most 200
     * characters, a description of at most 10,000 (the database would take more; every list of events would carry
     * it), an end after the start. Events migrated from the legacy app may have a line break in their title.
     */
    public EventDetails checkAsInput() {
        InvalidValueException.checkOneLine(title, "title");
        InvalidValueException.checkLength(title, MAX_TITLE_LENGTH, "title");
        InvalidValueException.checkLength(venue, MAX_VENUE_LENGTH, "venue");
        InvalidValueException.checkLength(description, MAX_DESCRIPTION_LENGTH, "description");
        InvalidValueException.check(endsAt == null || endsAt.isAfter(startsAt), "endsAt must be after startsAt");
        return this;
    }
}
