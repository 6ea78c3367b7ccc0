package io.ticketing.domain.service;

import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.CheckInPolicy;
import io.ticketing.domain.policy.CheckInRequest;
import io.ticketing.domain.policy.Decision;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.CheckInTicketUseCase;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.TicketingPorts;

public class CheckInService extends ServiceSupport implements CheckInTicketUseCase {

    public CheckInService(TicketingPorts ports) {
        super(ports);
    }

    @Override
    public Ticket checkIn(CheckInCommand command) {
        AccessPolicy.mayCheckIn(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // Two doors scanning the same code: the second waits for the lock and then sees USED.
            Ticket ticket = ports.loadTicket().loadTicketByCode(command.code(), RowLock.EXCLUSIVE)
                    .orElseThrow(() -> new NotFoundException("Ticket", command.code()));
            Decision.firstRejection(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(ticket, command.eventId(),
                    loadEvent(ticket.eventId(), RowLock.NONE))).orThrow();
            Ticket used = ticket.checkIn(now());
            ports.saveTicket().updateTicket(used, TicketStatus.VALID);
            return used;
        });
    }
}
