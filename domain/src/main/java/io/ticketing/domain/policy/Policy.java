package io.ticketing.domain.policy;

/** One named rule over a request. Families of rules extend it (e.g. {@link CheckoutPolicy}). */
@FunctionalInterface
public interface Policy<R> {

    Decision evaluate(R request);
}
