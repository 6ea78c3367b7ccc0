package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Event;

/** → CANCELLED: no more sales or check-ins; its bookings can then be refunded and the event deleted. */
public interface CancelEventUseCase {

    Event cancelEvent(EventCommand command);
}
