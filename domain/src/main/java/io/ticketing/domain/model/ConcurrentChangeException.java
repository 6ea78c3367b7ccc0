package io.ticketing.domain.model;

/**
 * Someone else changed the entity since it was read (stale version or unexpected status).
 * Nothing was written; reload and retry. Named apart from {@code java.util.ConcurrentModificationException},
 * which means something else; its code stays {@code CONCURRENT_MODIFICATION}, which API clients match on.
 */
public final class ConcurrentChangeException extends DomainException {

    public ConcurrentChangeException(String entity, Object id, String expected) {
        super("CONCURRENT_MODIFICATION",
                "%s %s was changed by someone else (expected %s); reload it and try again".formatted(entity, id, expected));
    }
}
