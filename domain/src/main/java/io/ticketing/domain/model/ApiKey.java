package io.ticketing.domain.model;

/**
 * An operator's API key as stored: who holds it, and as which role it acts (ADMIN or STAFF). Its name is taken as
 * stored: a key an earlier version named with no-break spaces must go on authenticating its holder.
 */
public record ApiKey(String name, Actor.Role role) {

    public ApiKey {
        name = InvalidValueException.storedText(name, "API key name");
        InvalidValueException.check(role == Actor.Role.ADMIN || role == Actor.Role.STAFF,
                "an API key acts as ADMIN or STAFF, not " + role);
    }

    /** A new key, named as an operator gives it: the name must show (the constructor takes names as stored). */
    public static ApiKey issue(String name, Actor.Role role) {
        return new ApiKey(Actor.givenName(name, "API key name"), role);
    }
}
