package io.ticketing.domain.model;

import java.time.Instant;

/** The editable description of an event. {@code endsAt} may be null (open end). */
public record EventDetails(String title, String description, String venue, Instant startsAt, Instant endsAt) {

    public EventDetails {
        title = InvalidValueException.requiredText(title, "title");
        InvalidValueException.check(title.length() <= 200, "title is longer than 200 characters");
        InvalidValueException.required(startsAt, "startsAt");
        InvalidValueException.check(endsAt == null || endsAt.isAfter(startsAt), "endsAt must be after startsAt");
    }
}
