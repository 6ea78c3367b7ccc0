package io.ticketing.domain.policy;

import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/**
 * Who may hold which seats, and when. The seat checks here give a customer a precise reason early;
 * the reservation itself is still one conditional step in the storage, which is what prevents races.
 */
@FunctionalInterface
public interface CheckoutPolicy extends Policy<CheckoutRequest> {

    CheckoutPolicy eventMustBePublished = request -> request.event().status() == EventStatus.CANCELLED
            ? Decision.rejected(RejectionReason.EVENT_CANCELLED,
                    "event %s was cancelled; its seats are no longer sold".formatted(request.event().id()))
            : allowedUnless(request.event().status() != EventStatus.PUBLISHED, RejectionReason.EVENT_NOT_PUBLISHED,
                    "event %s is %s; only published events sell seats".formatted(request.event().id(), request.event().status()));

    CheckoutPolicy eventMustNotBeDeleted = request -> allowedUnless(
            request.event().isDeleted(), RejectionReason.EVENT_DELETED,
            "event %s was deleted".formatted(request.event().id()));

    CheckoutPolicy eventMustNotHaveStarted = request -> allowedUnless(
            request.event().hasStartedAt(request.now()), RejectionReason.EVENT_ALREADY_STARTED,
            "event %s started at %s; its seats are no longer sold"
                    .formatted(request.event().id(), request.event().details().startsAt()));

    CheckoutPolicy sessionMustBeOpen = request -> request.opensNewSession() ? Decision.allowed() : allowedUnless(
            request.existingSession().status() != PaymentSessionStatus.OPEN, RejectionReason.CHECKOUT_NOT_OPEN,
            "checkout %s is %s; only an open checkout takes seats"
                    .formatted(request.existingSession().id(), request.existingSession().status()));

    CheckoutPolicy sessionMustNotBeExpired = request -> request.opensNewSession() ? Decision.allowed() : allowedUnless(
            request.existingSession().isExpiredAt(request.now()), RejectionReason.CHECKOUT_EXPIRED,
            "checkout %s expired at %s; open a new one"
                    .formatted(request.existingSession().id(), request.existingSession().expiresAt()));

    CheckoutPolicy seatsMustBelongToEvent = request -> {
        Set<SeatId> found = request.foundSeats().stream().map(Seat::id).collect(Collectors.toSet());
        List<SeatId> foreign = request.requestedSeatIds().stream().filter(id -> !found.contains(id)).toList();
        return allowedUnless(!foreign.isEmpty(), RejectionReason.SEAT_NOT_OF_EVENT,
                "seats %s are not seats of event %s".formatted(foreign, request.event().id()));
    };

    CheckoutPolicy seatsMustBeAvailable = request -> {
        List<SeatId> taken = request.foundSeats().stream()
                .filter(seat -> seat.status() != SeatStatus.AVAILABLE).map(Seat::id).toList();
        return allowedUnless(!taken.isEmpty(), RejectionReason.SEATS_UNAVAILABLE,
                "seats %s are not available; choose other seats".formatted(taken));
    };

    CheckoutPolicy atMostMaxSeatsPerCheckout = request -> {
        int wanted = request.seatsAlreadyHeld() + request.requestedSeatIds().size();
        int max = request.limits().maxSeatsPerCheckout();
        return allowedUnless(wanted > max, RejectionReason.TOO_MANY_SEATS,
                "a checkout holds at most %d seats; this one would hold %d".formatted(max, wanted));
    };

    CheckoutPolicy atMostMaxOpenCheckoutsPerCustomer = request -> {
        int max = request.limits().maxOpenCheckoutsPerCustomer();
        return allowedUnless(request.opensNewSession() && request.openCheckoutsOfCustomer() >= max,
                RejectionReason.TOO_MANY_OPEN_CHECKOUTS,
                "a customer has at most %d open checkouts; finish or cancel one first".formatted(max));
    };

    static List<CheckoutPolicy> allCurrentPolicies() {
        return List.of(eventMustNotBeDeleted, eventMustBePublished, eventMustNotHaveStarted,
                sessionMustBeOpen, sessionMustNotBeExpired, atMostMaxOpenCheckoutsPerCustomer,
                atMostMaxSeatsPerCheckout, seatsMustBelongToEvent, seatsMustBeAvailable);
    }

    static Decision evaluateAll(CheckoutRequest request) {
        return Policy.firstRejection(allCurrentPolicies(), request);
    }
}
