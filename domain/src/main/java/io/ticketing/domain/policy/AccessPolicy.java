package io.ticketing.domain.policy;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.Event;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/**
 * Who may do what. Customers act only for themselves; for reads of others' data the services answer
 * "not found" rather than "denied", so that ids of other people's bookings leak nothing.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    /** Events, seats, analytics, payment results, expiry: admins and the system. */
    public static Decision mayOperate(Actor actor) {
        return allowedUnless(!actor.isOperator(), RejectionReason.ACCESS_DENIED,
                "%s may not administer events, seats or payments".formatted(actor.auditName()));
    }

    public static Decision mayCheckIn(Actor actor) {
        return allowedUnless(!isStaffOrOperator(actor), RejectionReason.ACCESS_DENIED,
                "%s may not check tickets in".formatted(actor.auditName()));
    }

    /** An event's counters (seats, sales, check-ins): admins, the system, and the staff at the door. */
    public static Decision mayReadEventStats(Actor actor) {
        return allowedUnless(!isStaffOrOperator(actor), RejectionReason.ACCESS_DENIED,
                "%s may not read event statistics".formatted(actor.auditName()));
    }

    private static boolean isStaffOrOperator(Actor actor) {
        return actor.role() == Actor.Role.STAFF || actor.isOperator();
    }

    /**
     * Whether {@code actor} may know that {@code event} exists: admins and the system see every event, anyone else
     * only a public one ({@link Event#isPublic}). An event one may not see answers "not found", whatever is asked of
     * it (to read it, its seats, or to check out), so that a draft's or a deleted event's id leaks nothing.
     */
    public static boolean maySee(Actor actor, Event event) {
        return actor.isOperator() || event.isPublic();
    }

    public static boolean mayActFor(Actor actor, CustomerId customer) {
        return actor.isCustomer(customer) || actor.isOperator();
    }

    public static Decision mayActForCustomer(Actor actor, CustomerId customer) {
        return allowedUnless(!mayActFor(actor, customer), RejectionReason.ACCESS_DENIED,
                "%s may not act for customer %s".formatted(actor.auditName(), customer));
    }
}
