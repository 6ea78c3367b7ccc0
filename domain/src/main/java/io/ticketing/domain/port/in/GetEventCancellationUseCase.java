package io.ticketing.domain.port.in;

import io.ticketing.domain.model.EventCancellation;

import java.util.Optional;

/** An event's cancellation and its progress, for operators; empty if the event has none (or does not exist). */
public interface GetEventCancellationUseCase {

    Optional<EventCancellation> getEventCancellation(EventQuery query);
}
