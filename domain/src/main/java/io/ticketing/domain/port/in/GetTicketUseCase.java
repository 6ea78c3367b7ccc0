package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Ticket;

import java.util.Optional;

/** A ticket by its code: for door staff and admins any ticket, for a customer only their own. */
public interface GetTicketUseCase {

    Optional<Ticket> getTicket(TicketQuery query);
}
