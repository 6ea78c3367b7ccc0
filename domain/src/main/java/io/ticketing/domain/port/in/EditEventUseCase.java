package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

/** Edits title, description, venue and times; refused with ConcurrentChangeException if the event changed since {@code expectedVersion}. */
public interface EditEventUseCase {

    Event editEvent(EditEventCommand command);
}
