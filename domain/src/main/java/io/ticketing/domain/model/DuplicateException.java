package io.ticketing.domain.model;

/** A uniqueness rule was hit (seat position within an event, customer email). */
public final class DuplicateException extends DomainException {

    public DuplicateException(String entity, String what) {
        super("DUPLICATE", "%s already exists: %s".formatted(entity, what));
    }
}
