package io.ticketing.domain.model;

import java.util.Locale;

/**
 * Who is acting: the principal of a request, recorded as the actor of every change in the audit trail.
 * A customer actor carries its {@link CustomerId}; other roles act by name.
 */
public record Actor(Role role, String name, CustomerId customerId) {

    public enum Role { ANONYMOUS, CUSTOMER, STAFF, ADMIN, SYSTEM }

    public Actor {
        InvalidValueException.required(role, "role");
        // An admin or staff member acts under their API key's name, as stored (ApiKey).
        name = InvalidValueException.storedText(name, "actor name");
        InvalidValueException.check((role == Role.CUSTOMER) == (customerId != null),
                "exactly customer actors carry a customer id");
    }

    public static Actor anonymous() {
        return new Actor(Role.ANONYMOUS, "anonymous", null);
    }

    public static Actor customer(CustomerId customerId) {
        return new Actor(Role.CUSTOMER, customerId.toString(), customerId);
    }

    public static Actor staff(String name) {
        return new Actor(Role.STAFF, name, null);
    }

    public static Actor admin(String name) {
        return new Actor(Role.ADMIN, name, null);
    }

    /** Background jobs and verified webhooks. */
    public static Actor system(String name) {
        return new Actor(Role.SYSTEM, name, null);
    }

    public boolean isCustomer(CustomerId id) {
        return role == Role.CUSTOMER && customerId.equals(id);
    }

    /** The longest name an operator may give now: an audit line names it, as the API bounds a token's subject. */
    public static final int MAX_GIVEN_NAME_LENGTH = 255;

    /**
     * A name an operator gives now (an API key's holder, who cancels an event): it shows, on one line (the audit trail
     * and the commands' output print it as part of a line), in at most {@link #MAX_GIVEN_NAME_LENGTH} characters.
     * Names stored before this rule load as they are ({@link InvalidValueException#storedText}).
     */
    public static String givenName(String value, String what) {
        String given = InvalidValueException.requiredText(value, what);
        InvalidValueException.checkOneLine(given, what);
        InvalidValueException.checkLength(given, MAX_GIVEN_NAME_LENGTH, what);
        return given;
    }

    public boolean isOperator() {
        return role == Role.ADMIN || role == Role.SYSTEM;
    }

    /** What the audit trail records as actor. */
    public String auditName() {
        return role.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
