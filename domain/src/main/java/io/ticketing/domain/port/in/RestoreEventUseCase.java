package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

/** Undoes a soft delete. */
public interface RestoreEventUseCase {

    Event restoreEvent(EventCommand command);
}
