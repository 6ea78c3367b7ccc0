package io.ticketing.domain.policy;

import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.TicketStatus;

import java.util.List;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/** A ticket admits once, to its own event, while it is valid. */
@FunctionalInterface
public interface CheckInPolicy extends Policy<CheckInRequest> {

    CheckInPolicy ticketMustBeForThisEvent = request -> allowedUnless(
            !request.ticket().eventId().equals(request.scannedAtEvent()), RejectionReason.TICKET_OF_ANOTHER_EVENT,
            "ticket %s is for event %s, not %s".formatted(request.ticket().id(), request.ticket().eventId(),
                    request.scannedAtEvent()));

    CheckInPolicy ticketMustNotBeUsed = request -> allowedUnless(
            request.ticket().status() == TicketStatus.USED, RejectionReason.TICKET_ALREADY_USED,
            "ticket %s was already checked in at %s".formatted(request.ticket().id(), request.ticket().checkedInAt()));

    CheckInPolicy ticketMustNotBeCancelled = request -> allowedUnless(
            request.ticket().status() == TicketStatus.CANCELLED, RejectionReason.TICKET_CANCELLED,
            "ticket %s was cancelled with its booking or its event; it admits nobody".formatted(request.ticket().id()));

    CheckInPolicy ticketMustBeValid = request -> allowedUnless(
            request.ticket().status() != TicketStatus.VALID && request.ticket().status() != TicketStatus.USED,
            RejectionReason.TICKET_NOT_VALID,
            "ticket %s is %s".formatted(request.ticket().id(), request.ticket().status()));

    CheckInPolicy eventMustNotBeCancelled = request -> allowedUnless(
            request.ticketEvent().status() == EventStatus.CANCELLED || request.ticketEvent().isDeleted(),
            RejectionReason.EVENT_CANCELLED,
            "event %s is cancelled or deleted; nobody is admitted".formatted(request.ticketEvent().id()));

    static List<CheckInPolicy> allCurrentPolicies() {
        return List.of(ticketMustBeForThisEvent, ticketMustNotBeCancelled, ticketMustBeValid, ticketMustNotBeUsed, eventMustNotBeCancelled);
    }
}
