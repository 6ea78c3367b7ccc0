package io.ticketing.domain.policy;

import java.util.Optional;

/** What a policy decides: allowed, or rejected with a reason. */
public sealed interface Decision {

    record Allowed() implements Decision {
    }

    record Rejected(Rejection rejection) implements Decision {
    }

    static Decision allowed() {
        return new Allowed();
    }

    static Decision rejected(RejectionReason reason, String message) {
        return new Rejected(new Rejection(reason, message));
    }

    static Decision allowedUnless(boolean violated, RejectionReason reason, String message) {
        return violated ? rejected(reason, message) : allowed();
    }

    default Optional<Rejection> rejectionIfAny() {
        return this instanceof Rejected rejected ? Optional.of(rejected.rejection()) : Optional.empty();
    }

    default boolean isAllowed() {
        return this instanceof Allowed;
    }

    default void orThrow() {
        rejectionIfAny().ifPresent(rejection -> {
            throw new PolicyViolationException(rejection);
        });
    }
}
