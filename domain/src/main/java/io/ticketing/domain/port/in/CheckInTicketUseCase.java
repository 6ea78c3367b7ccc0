package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Ticket;

/** Admits a ticket once: VALID → USED. */
public interface CheckInTicketUseCase {

    Ticket checkIn(CheckInCommand command);
}
