package io.ticketing.domain.model;

/**
 * Someone else changed the entity since it was read (stale version or unexpected status).
 * Nothing was written; reload and retry.
 */
public final class ConcurrentModificationException extends DomainException {

    public ConcurrentModificationException(String entity, Object id, String expected) {
        super("CONCURRENT_MODIFICATION",
                "%s %s was changed by someone else (expected %s); reload it and try again".formatted(entity, id, expected));
    }
}
