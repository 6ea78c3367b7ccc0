package io.ticketing.api.web.auth;

import java.util.Objects;

/**
 * The caller of a request. {@code subject} is the customer id for a CUSTOMER (the JWT's
 * {@code sub}), the key's name for STAFF and ADMIN, and empty for ANONYMOUS. {@code keyId} tells apart API keys of
 * one name (null for the other callers).
 */
public record Principal(Role role, String subject, String email, String name, String keyId) {

    public static final Principal ANONYMOUS = new Principal(Role.ANONYMOUS, "", null, null, null);

    public Principal {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(subject, "subject");
    }

    /** The holder of an API key: named as it was created, told apart from other keys of that name by {@code keyHash}'s start. */
    public static Principal apiKey(Role role, String keyName, String keyHash) {
        return new Principal(role, keyName, null, null, keyHash.substring(0, 16));
    }

    public static Principal customer(String subject, String email, String name) {
        return new Principal(Role.CUSTOMER, subject, email, name, null);
    }

    /**
     * A customer's account: the e-mail address of their token (the {@code email} claim, or a {@code sub} that is an
     * address), in lower case as accounts are kept; null for a token without one, and for the other roles.
     */
    public String customerEmail() {
        if (role != Role.CUSTOMER) {
            return null;
        }
        String address = email != null && !email.isBlank() ? email : subject.contains("@") ? subject : null;
        return address == null ? null : address.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whose {@code Idempotency-Key}s a request's key is one of: a customer's account, whatever token of it they hold
     * (two customers may share a {@code sub} across identity providers, one customer may hold tokens of several), else
     * the API key (two door scanners whose keys share a name, as `admin create-key` names keys by default, must not be
     * answered each other's check-ins), else the actor.
     */
    public String idempotencyScope() {
        String account = customerEmail();
        return account != null ? "customer:" + account : keyId != null ? actor() + "#" + keyId : actor();
    }

    /** The actor recorded in the audit trail, e.g. {@code admin:ops-laptop} or {@code customer:0190…}. */
    public String actor() {
        return role == Role.ANONYMOUS ? "anonymous" : role.name().toLowerCase(java.util.Locale.ROOT) + ":" + subject;
    }
}
