package io.ticketing.domain.model;

/** A state change that the entity's status does not allow, e.g. a USED ticket checked in again. */
public final class IllegalTransitionException extends DomainException {

    private final String entity;
    private final Object entityId;
    private final Enum<?> from;
    private final Enum<?> attempted;

    public IllegalTransitionException(String entity, Object entityId, Enum<?> from, Enum<?> attempted, Object allowed) {
        super("ILLEGAL_TRANSITION", "%s %s is %s and cannot become %s (allowed from %s: %s)"
                .formatted(entity, entityId, from, attempted, from, allowed));
        this.entity = entity;
        this.entityId = entityId;
        this.from = from;
        this.attempted = attempted;
    }

    public String entity() {
        return entity;
    }

    public Object entityId() {
        return entityId;
    }

    public Enum<?> from() {
        return from;
    }

    public Enum<?> attempted() {
        return attempted;
    }
}
