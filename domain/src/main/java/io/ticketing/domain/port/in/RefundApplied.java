package io.ticketing.domain.port.in;

import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.Ticket;

import java.util.List;

/** A refund the provider reported: the request (REFUNDED) and its booking's tickets after it. */
public record RefundApplied(RefundRequest refund, List<Ticket> tickets) {

    public RefundApplied {
        tickets = List.copyOf(tickets);
    }
}
