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

    public boolean isOperator() {
        return role == Role.ADMIN || role == Role.SYSTEM;
    }

    /** What the audit trail records as actor. */
    public String auditName() {
        return role.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
