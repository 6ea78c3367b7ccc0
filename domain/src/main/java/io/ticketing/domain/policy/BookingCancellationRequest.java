package io.ticketing.domain.policy;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.Ticket;

import java.time.Instant;
import java.util.List;

public record BookingCancellationRequest(Booking booking, Event event, List<Ticket> tickets, Instant now) {

    public BookingCancellationRequest {
        tickets = List.copyOf(tickets);
    }
}
