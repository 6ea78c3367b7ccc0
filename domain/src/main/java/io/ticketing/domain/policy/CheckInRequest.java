package io.ticketing.domain.policy;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Ticket;

/** Staff at the door of {@code scannedAtEvent} scanning a ticket ({@code ticketEvent} is the ticket's own event). */
public record CheckInRequest(Ticket ticket, EventId scannedAtEvent, Event ticketEvent) {
}
