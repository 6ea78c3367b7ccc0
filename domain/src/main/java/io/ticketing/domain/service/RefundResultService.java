package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.Decision;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.ApplyRefundResultCommand;
import io.ticketing.domain.port.in.ApplyRefundResultUseCase;
import io.ticketing.domain.port.in.RefundApplied;
import io.ticketing.domain.port.out.LoadTicketPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveTicketPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The provider's `refunded` report: the refund request REFUNDED and its booking's CANCELLED tickets REFUNDED, in one
 * unit of work. The money was counted as refunded when the booking was cancelled (the summary's refunded amount), so
 * the report moves no sum; a USED ticket stays USED (the holder came in, the row is history).
 */
public class RefundResultService extends ServiceSupport implements ApplyRefundResultUseCase {

    private final RefundRequestPort refundRequests;
    private final LoadTicketPort loadTicket;
    private final SaveTicketPort saveTicket;

    public RefundResultService(UnitOfWorkPort unitOfWork, Clock clock, RefundRequestPort refundRequests,
                               LoadTicketPort loadTicket, SaveTicketPort saveTicket) {
        super(unitOfWork, clock);
        this.refundRequests = Objects.requireNonNull(refundRequests, "refundRequests");
        this.loadTicket = Objects.requireNonNull(loadTicket, "loadTicket");
        this.saveTicket = Objects.requireNonNull(saveTicket, "saveTicket");
    }

    @Override
    public RefundApplied applyRefundResult(ApplyRefundResultCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            RefundRequest request = refundRequests.loadRefundRequestOfPaymentSession(command.paymentSessionId(),
                            command.providerRefundReference(), RowLock.EXCLUSIVE)
                    .orElseThrow(() -> new NotFoundException("RefundRequest of checkout", command.paymentSessionId()));
            // Money given back must be the money owed: a report without an amount, or of another one, settles nothing.
            Decision.allowedUnless(command.reportedAmount() == null || !command.reportedAmount().equals(request.amount()),
                    RejectionReason.PAYMENT_AMOUNT_MISMATCH,
                    "provider reported a refund %s for checkout %s; its refund request is of %s".formatted(
                            command.reportedAmount() == null ? "without an amount and its currency" : "of " + command.reportedAmount(),
                            command.paymentSessionId(), request.amount())).orThrow();
            List<Ticket> tickets = new ArrayList<>();
            if (request.status() == RefundRequest.Status.REFUNDED) {
                tickets.addAll(loadTicket.loadTicketsOfBooking(request.bookingId()));
                return new RefundApplied(request, tickets); // providers retry reports; a repeat changes nothing
            }
            refundRequests.recordRefundCompleted(request, command.providerRefundReference(), now());
            for (Ticket ticket : loadTicket.loadTicketsOfBooking(request.bookingId())) {
                if (ticket.status() == TicketStatus.CANCELLED) {
                    Ticket refunded = ticket.refund();
                    saveTicket.updateTicket(refunded, TicketStatus.CANCELLED);
                    tickets.add(refunded);
                } else {
                    tickets.add(ticket);
                }
            }
            return new RefundApplied(request.withStatus(RefundRequest.Status.REFUNDED), tickets);
        });
    }
}
