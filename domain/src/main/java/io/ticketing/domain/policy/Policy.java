package io.ticketing.domain.policy;

import java.util.List;

/** One named rule over a request. Families of rules extend it (e.g. {@link CheckoutPolicy}). */
@FunctionalInterface
public interface Policy<R> {

    Decision evaluate(R request);

    /** Evaluates the policies in order; the first rejection wins. */
    static <R> Decision firstRejection(List<? extends Policy<R>> policies, R request) {
        return policies.stream()
                .map(policy -> policy.evaluate(request))
                .filter(decision -> !decision.isAllowed())
                .findFirst()
                .orElseGet(Decision::allowed);
    }
}
