package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.http.Context;
import io.ticketing.api.web.auth.AccessControl;
import io.ticketing.api.web.auth.Principal;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.RegisterCustomerUseCase;

/**
 * The domain's actor for the caller of a request. A customer is known by the e-mail of their token
 * (the {@code email} claim, or a {@code sub} that is an e-mail address) and is registered on first use.
 */
final class Callers {

    private static final String ACTOR = "ticketing.actor";

    private final RegisterCustomerUseCase customers;

    Callers(RegisterCustomerUseCase customers) {
        this.customers = customers;
    }

    Actor actor(Context ctx) {
        Actor cached = ctx.attribute(ACTOR);
        if (cached != null) {
            return cached;
        }
        Principal principal = AccessControl.principal(ctx);
        Actor actor = switch (principal.role()) {
            case ANONYMOUS -> Actor.anonymous();
            case ADMIN -> Actor.admin(principal.subject());
            case STAFF -> Actor.staff(principal.subject());
            case CUSTOMER -> Actor.customer(customers.ensureCustomer(new RegisterCustomerCommand(
                    Actor.system("api"), emailOf(principal), principal.name() == null ? emailOf(principal) : principal.name())).id());
        };
        ctx.attribute(ACTOR, actor);
        return actor;
    }

    private static String emailOf(Principal principal) {
        if (principal.email() != null && !principal.email().isBlank()) {
            return principal.email();
        }
        if (principal.subject().contains("@")) {
            return principal.subject();
        }
        throw ApiException.of(401, "token-without-email", "Unauthorized",
                "A customer's token must carry an 'email' claim (or an e-mail address as 'sub').");
    }
}
