package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.CheckInPolicy;
import io.ticketing.domain.policy.CheckInRequest;
import io.ticketing.domain.policy.Policy;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.CheckInTicketUseCase;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.LoadTicketPort;
import io.ticketing.domain.port.out.SaveTicketPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;

public class CheckInService extends ServiceSupport implements CheckInTicketUseCase {

    private final LoadEventPort loadEvent;
    private final LoadTicketPort loadTicket;
    private final SaveTicketPort saveTicket;

    public CheckInService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, LoadTicketPort loadTicket, SaveTicketPort saveTicket) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.loadTicket = Objects.requireNonNull(loadTicket, "loadTicket");
        this.saveTicket = Objects.requireNonNull(saveTicket, "saveTicket");
    }

    @Override
    public Ticket checkIn(CheckInCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayCheckIn(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // Two doors scanning the same code: the second waits for the lock and then sees USED.
            Ticket ticket = loadTicket.loadTicketByCode(command.code(), RowLock.EXCLUSIVE)
                    .orElseThrow(() -> new NotFoundException("No ticket has this code"));
            Policy.firstRejection(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(ticket, command.eventId(),
                    existingEvent(loadEvent, ticket.eventId(), RowLock.NONE))).orThrow();
            Ticket used = ticket.checkIn(now());
            saveTicket.updateTicket(used, TicketStatus.VALID);
            return used;
        });
    }
}
