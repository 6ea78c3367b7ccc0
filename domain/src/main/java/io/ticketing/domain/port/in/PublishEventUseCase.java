package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

/** DRAFT → PUBLISHED: its seats go on sale. */
public interface PublishEventUseCase {

    Event publishEvent(EventCommand command);
}
