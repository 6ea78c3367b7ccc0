package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.ticketing.api.web.auth.AccessControl;
import io.ticketing.api.web.auth.Principal;
import io.ticketing.api.web.auth.Role;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.RegisterCustomerUseCase;

/**
 * The domain's actor for the caller of a request. A customer is known by the e-mail of their token
 * (the {@code email} claim, or a {@code sub} that is an e-mail address) and is registered by the first
 * request that writes, inside that request's unit of work; a read never writes: a customer not yet
 * registered reads as an actor that owns nothing.
 */
final class Callers {

    private static final String ACTOR = "ticketing.actor";
    private static final Actor REGISTRAR = Actor.system("api");

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
        Actor actor = principal.role() == Role.CUSTOMER ? customer(ctx, principal) : envelope(principal);
        ctx.attribute(ACTOR, actor);
        return actor;
    }

    /**
     * Who a request's unit of work acts as before it knows its customer: the caller, or for a customer the
     * API, which registers them; the use case then acts as the customer.
     */
    Actor envelope(Principal principal) {
        return switch (principal.role()) {
            case ANONYMOUS -> Actor.anonymous();
            case ADMIN -> Actor.admin(principal.subject());
            case STAFF -> Actor.staff(principal.subject());
            case CUSTOMER -> REGISTRAR;
        };
    }

    /** Forgets the actor found so far: a unit of work that runs again may not find what a rolled-back one did. */
    void forget(Context ctx) {
        ctx.attribute(ACTOR, null);
    }

    private Actor customer(Context ctx, Principal principal) {
        String email = emailOf(principal);
        if (isRead(ctx)) {
            return customers.findCustomer(email).map(found -> Actor.customer(found.id()))
                    .orElseGet(() -> Actor.customer(CustomerId.newId())); // owns nothing, so reads find nothing
        }
        return Actor.customer(customers.ensureCustomer(new RegisterCustomerCommand(
                REGISTRAR, email, principal.name() == null ? email : principal.name())).id());
    }

    private static boolean isRead(Context ctx) {
        return ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
    }

    private static String emailOf(Principal principal) {
        String email = principal.customerEmail();
        if (email == null) {
            throw ApiException.of(401, "token-without-email", "A customer's token must carry an 'email' claim (or an e-mail address as 'sub').");
        }
        return email;
    }
}
