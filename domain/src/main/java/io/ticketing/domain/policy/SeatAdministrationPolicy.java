package io.ticketing.domain.policy;

import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/**
 * Admins block AVAILABLE seats (never one a customer holds or bought) and unblock BLOCKED ones;
 * prices change only on seats nobody holds or bought.
 */
@FunctionalInterface
public interface SeatAdministrationPolicy extends Policy<SeatAdministrationRequest> {

    SeatAdministrationPolicy seatsMustBelongToEvent = request -> {
        Set<SeatId> found = request.foundSeats().stream().map(Seat::id).collect(Collectors.toSet());
        List<SeatId> foreign = request.requestedSeatIds().stream().filter(id -> !found.contains(id)).toList();
        return allowedUnless(!foreign.isEmpty(), RejectionReason.SEAT_NOT_OF_EVENT,
                "seats %s are not seats of event %s".formatted(foreign, request.eventId()));
    };

    SeatAdministrationPolicy onlyAvailableSeatsCanBeBlocked = request -> allSeats(request,
            seat -> seat.status() == SeatStatus.AVAILABLE, RejectionReason.SEATS_UNAVAILABLE,
            "seats %s are not AVAILABLE; only available seats can be blocked");

    SeatAdministrationPolicy onlyBlockedSeatsCanBeUnblocked = request -> allSeats(request,
            seat -> seat.status() == SeatStatus.BLOCKED, RejectionReason.SEAT_NOT_BLOCKED,
            "seats %s are not BLOCKED; there is nothing to unblock");

    SeatAdministrationPolicy onlyUnheldSeatsCanBeRepriced = request -> allSeats(request,
            seat -> seat.status() == SeatStatus.AVAILABLE || seat.status() == SeatStatus.BLOCKED,
            RejectionReason.SEAT_HELD_OR_SOLD,
            "seats %s are held or sold; their price is part of a checkout and cannot change");

    static List<SeatAdministrationPolicy> blocking() {
        return List.of(seatsMustBelongToEvent, onlyAvailableSeatsCanBeBlocked);
    }

    static List<SeatAdministrationPolicy> unblocking() {
        return List.of(seatsMustBelongToEvent, onlyBlockedSeatsCanBeUnblocked);
    }

    static List<SeatAdministrationPolicy> repricing() {
        return List.of(seatsMustBelongToEvent, onlyUnheldSeatsCanBeRepriced);
    }

    private static Decision allSeats(SeatAdministrationRequest request, Predicate<Seat> allowed,
                                     RejectionReason reason, String messageFormat) {
        List<SeatId> refused = request.foundSeats().stream().filter(allowed.negate()).map(Seat::id).toList();
        return allowedUnless(!refused.isEmpty(), reason, messageFormat.formatted(refused));
    }
}
