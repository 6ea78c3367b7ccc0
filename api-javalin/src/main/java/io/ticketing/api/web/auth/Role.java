package io.ticketing.api.web.auth;

import io.javalin.security.RouteRole;

/** Who may call a route. Every route declares its roles; a route without any is refused. */
public enum Role implements RouteRole {
    /** Anyone, signed in or not: published events and availability. */
    ANONYMOUS,
    /** A buyer, by bearer JWT; sees only their own checkouts, bookings and tickets. */
    CUSTOMER,
    /** Door staff, by API key: ticket check-in. */
    STAFF,
    /** Operators, by API key: everything. */
    ADMIN
}
