package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.InvalidValueException;

/** A page of the bookings marked for review, oldest first, after the cursor {@code after} (null for the first page). */
public record ListBookingsToReviewQuery(Actor requester, BookingId after, int limit) {

    public ListBookingsToReviewQuery {
        InvalidValueException.required(requester, "requester");
        InvalidValueException.check(limit >= 1 && limit <= 100, "limit must be between 1 and 100: " + limit);
    }
}
