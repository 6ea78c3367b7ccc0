package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.InvalidValueException;

/** A page of a customer's bookings, newest first, after the cursor {@code after} (null for the first page). */
public record ListCustomerBookingsQuery(Actor requester, CustomerId customerId, BookingId after, int limit) {

    public ListCustomerBookingsQuery {
        InvalidValueException.required(requester, "requester");
        InvalidValueException.required(customerId, "customerId");
        InvalidValueException.check(limit >= 1 && limit <= 100, "limit must be between 1 and 100: " + limit);
    }
}
