package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

import java.util.Optional;

/** One event: operators see every event, others only published or cancelled, not deleted ones. */
public interface GetEventUseCase {

    Optional<Event> getEvent(EventQuery query);
}
