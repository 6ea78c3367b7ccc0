package io.ticketing.domain.policy;

import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;

import java.util.List;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/** Cancelling a booking refunds it: only paid bookings, none of whose tickets was used, before the event. */
@FunctionalInterface
public interface BookingCancellationPolicy extends Policy<BookingCancellationRequest> {

    BookingCancellationPolicy bookingMustBeConfirmed = request -> allowedUnless(
            request.booking().status() != BookingStatus.CONFIRMED, RejectionReason.BOOKING_NOT_CONFIRMED,
            "booking %s is %s; only a confirmed booking can be cancelled and refunded"
                    .formatted(request.booking().id(), request.booking().status()));

    BookingCancellationPolicy noTicketUsed = request -> {
        List<Ticket> used = request.tickets().stream().filter(ticket -> ticket.status() == TicketStatus.USED).toList();
        return allowedUnless(!used.isEmpty(), RejectionReason.TICKET_ALREADY_USED,
                "booking %s has %d checked-in tickets; it cannot be refunded".formatted(request.booking().id(), used.size()));
    };

    // A cancelled event refunds whenever; a running one only before it starts.
    BookingCancellationPolicy eventMustNotHaveStartedUnlessCancelled = request -> allowedUnless(
            request.event().status() != EventStatus.CANCELLED && request.event().hasStartedAt(request.now()),
            RejectionReason.EVENT_ALREADY_STARTED,
            "event %s has started; its bookings can no longer be cancelled".formatted(request.event().id()));

    static List<BookingCancellationPolicy> allCurrentPolicies() {
        return List.of(bookingMustBeConfirmed, noTicketUsed, eventMustNotHaveStartedUnlessCancelled);
    }
}
