package io.ticketing.domain.model;

import java.util.Set;

/**
 * A status that owns its transition table: {@link #allowedNext()} is the whole truth about which
 * changes are legal; everything else is an {@link IllegalTransitionException}.
 */
public interface LifecycleState<S extends Enum<S> & LifecycleState<S>> {

    Set<S> allowedNext();

    default boolean canBecome(S next) {
        return allowedNext().contains(next);
    }

    default boolean isTerminal() {
        return allowedNext().isEmpty();
    }

    /** Returns {@code next} if this status may become it, otherwise names entity, id, state and attempted change. */
    default S moveTo(S next, String entity, Object entityId) {
        if (!canBecome(next)) {
            throw new IllegalTransitionException(entity, entityId, (Enum<?>) this, next, allowedNext());
        }
        return next;
    }
}
