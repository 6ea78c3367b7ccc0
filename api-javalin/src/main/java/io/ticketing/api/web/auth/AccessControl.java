package io.ticketing.api.web.auth;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.util.Locale;
import java.util.Set;

/**
 * Deny by default: a route is reachable only by the roles it declares, and a route that declares
 * none is reachable by nobody. The caller is kept on the request for the handlers.
 */
public final class AccessControl {

    private static final String PRINCIPAL = "ticketing.principal";

    private final Authenticator authenticator;

    public AccessControl(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** Runs before every matched route. */
    public void check(Context ctx) {
        Set<RouteRole> allowed = ctx.routeRoles();
        if (allowed.isEmpty()) {
            throw ApiException.of(403, "forbidden", "This route is open to no role.");
        }
        Principal principal = authenticator.authenticate(ctx);
        ctx.attribute(PRINCIPAL, principal);
        if (allowed.contains(Role.ANONYMOUS) || allowed.contains(principal.role())) {
            return;
        }
        if (principal.role() == Role.ANONYMOUS) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.of(401, "authentication-required", "Sign in: a bearer JWT for customers, the " + Authenticator.API_KEY_HEADER + " header for staff and admins.");
        }
        throw ApiException.of(403, "forbidden", "The " + principal.role().name().toLowerCase(Locale.ROOT) + " role may not "
                + ctx.method() + " " + ctx.path() + ".");
    }

    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        return principal == null ? Principal.ANONYMOUS : principal;
    }
}
