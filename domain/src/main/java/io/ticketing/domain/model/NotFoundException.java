package io.ticketing.domain.model;

/** The entity does not exist, or is not visible to whoever asked (a customer asking for another's booking). */
public final class NotFoundException extends DomainException {

    public NotFoundException(String entity, Object id) {
        super("NOT_FOUND", "%s %s was not found".formatted(entity, id));
    }
}
