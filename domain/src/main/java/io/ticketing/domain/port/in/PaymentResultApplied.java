package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.Ticket;

import java.util.List;
import java.util.Optional;

/** The checkout after a payment result, its booking if one exists, and the tickets issued (on success). */
public record PaymentResultApplied(PaymentSession session, Optional<Booking> booking, List<Ticket> tickets) {

    public PaymentResultApplied {
        tickets = List.copyOf(tickets);
    }
}
