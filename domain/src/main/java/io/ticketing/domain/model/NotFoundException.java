package io.ticketing.domain.model;

/** The entity does not exist, or is not visible to whoever asked (a customer asking for another's booking). */
public final class NotFoundException extends DomainException {

    public NotFoundException(String entity, Object id) {
        super("NOT_FOUND", "%s %s was not found".formatted(entity, id));
    }

    /** Not found, said in words of its own: for a key that is a secret, not to be repeated (a ticket's code). */
    public NotFoundException(String message) {
        super("NOT_FOUND", message);
    }
}
