package io.ticketing.api.web.auth;

import java.util.Objects;

/**
 * The caller of a request. {@code subject} is the customer id for a CUSTOMER (the JWT's
 * {@code sub}), the key's name for STAFF and ADMIN, and empty for ANONYMOUS.
 */
public record Principal(Role role, String subject, String email, String name) {

    public static final Principal ANONYMOUS = new Principal(Role.ANONYMOUS, "", null, null);

    public Principal {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(subject, "subject");
    }

    public static Principal apiKey(Role role, String keyName) {
        return new Principal(role, keyName, null, null);
    }

    /** The actor recorded in the audit trail, e.g. {@code admin:ops-laptop} or {@code customer:0190…}. */
    public String actor() {
        return role == Role.ANONYMOUS ? "anonymous" : role.name().toLowerCase(java.util.Locale.ROOT) + ":" + subject;
    }
}
