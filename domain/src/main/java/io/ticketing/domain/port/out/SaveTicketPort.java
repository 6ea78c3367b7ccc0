package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;

import java.util.List;

public interface SaveTicketPort {

    /** Stores new tickets; codes are unique. */
    void insertTickets(List<Ticket> tickets);

    /**
     * Stores status and check-in time only if the stored status is still {@code expectedStatus}.
     *
     * @throws io.ticketing.domain.model.ConcurrentChangeException if the stored status differs
     */
    void updateTicket(Ticket changed, TicketStatus expectedStatus);
}
