package io.ticketing.domain.policy;

import io.ticketing.domain.model.DomainException;

/** A use case was refused by a policy; {@link #code()} is the rejection's reason code. */
public final class PolicyViolationException extends DomainException {

    private final Rejection rejection;

    public PolicyViolationException(Rejection rejection) {
        super(rejection.code(), rejection.message());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
