package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

/** Soft delete (the seed's deleteEvent): hidden from customers, not bookable, restorable. */
public interface DeleteEventUseCase {

    Event deleteEvent(EventCommand command);
}
