package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

/** Creates a DRAFT event. */
public interface CreateEventUseCase {

    Event createEvent(CreateEventCommand command);
}
