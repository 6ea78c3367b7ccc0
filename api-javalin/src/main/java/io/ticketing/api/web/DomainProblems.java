package io.ticketing.api.web;

import io.ticketing.api.web.problem.Problem;
import io.ticketing.domain.model.DomainException;

import java.util.Locale;
import java.util.Set;

/**
 * A refusal of the domain as an HTTP problem: its stable code in kebab case ({@code SEATS_UNAVAILABLE}
 * becomes {@code seats-unavailable}) and the status that says whose move it is.
 */
final class DomainProblems {

    /** The request itself is wrong: fix it, do not retry it. */
    private static final Set<String> UNPROCESSABLE = Set.of("TOO_MANY_SEATS", "PAYMENT_AMOUNT_MISMATCH");

    private DomainProblems() {
    }

    static Problem of(DomainException e) {
        String code = e.code();
        int status = switch (code) {
            case "NOT_FOUND", "ACCESS_DENIED" -> 404; // another customer's data is simply not there for them
            case "INVALID_VALUE", "INVALID_CURSOR" -> 400;
            default -> UNPROCESSABLE.contains(code) ? 422 : 409;
        };
        // "Not yours" must read exactly as "does not exist": neither its code nor its detail tells them apart.
        if (code.equals("ACCESS_DENIED")) {
            return Problem.of(status, "not-found", "Not found (or not yours to see).");
        }
        return Problem.of(status, code.toLowerCase(Locale.ROOT).replace('_', '-'), e.getMessage());
    }
}
