package io.ticketing.domain.port.in;

/** Every event, deleted ones included on request: for admins only. */
public interface ListEventsUseCase {

    EventPage listEvents(ListEventsQuery query);
}
