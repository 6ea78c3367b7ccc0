package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Event;

public interface SaveEventPort {

    /** Stores a new event (version 0). */
    void insertEvent(Event event);

    /**
     * Stores {@code changed} only if the stored version still equals {@code changed.version()}
     * ({@code WHERE id = ? AND version = ?}), and returns it with the incremented version.
     *
     * @throws io.ticketing.domain.model.ConcurrentChangeException if the stored version differs
     */
    Event updateEvent(Event changed);
}
