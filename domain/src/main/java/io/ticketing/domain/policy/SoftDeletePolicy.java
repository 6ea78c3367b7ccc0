package io.ticketing.domain.policy;

import io.ticketing.domain.model.EventStatus;

import java.util.List;

import static io.ticketing.domain.policy.Decision.allowedUnless;

/**
 * Soft delete hides an event from every customer-facing query; restore brings it back. An event that
 * people hold tickets or checkouts for must be cancelled first, so nobody loses a paid seat silently.
 */
@FunctionalInterface
public interface SoftDeletePolicy extends Policy<SoftDeleteRequest> {

    SoftDeletePolicy mustNotBeDeletedAlready = request -> allowedUnless(
            request.event().isDeleted(), RejectionReason.EVENT_ALREADY_DELETED,
            "event %s is already deleted".formatted(request.event().id()));

    /**
     * Until an event is over, its ticket holders may still come in: a deleted event admits nobody at the door. Once it
     * has ended (an event without an end, a day after its start) it is history, and may go.
     */
    SoftDeletePolicy noConfirmedBookingsUntilItEndsUnlessCancelled = request -> allowedUnless(
            request.event().status() != EventStatus.CANCELLED
                    && !request.event().hasEndedAt(request.now())
                    && request.summary().confirmedBookings() > 0,
            RejectionReason.EVENT_HAS_CONFIRMED_BOOKINGS,
            "event %s has %d confirmed bookings and has not ended, so their holders may still come in; cancel it before "
                    + "deleting it, or delete it once it is over".formatted(request.event().id(), request.summary().confirmedBookings()));

    // A checkout in flight could still be paid; a paid seat of a deleted event would be lost silently.
    SoftDeletePolicy noActiveCheckouts = request -> allowedUnless(
            request.summary().reservedSeats() > 0, RejectionReason.EVENT_HAS_ACTIVE_CHECKOUTS,
            "event %s has %d seats held by open checkouts; retry once they are paid or expired"
                    .formatted(request.event().id(), request.summary().reservedSeats()));

    SoftDeletePolicy mustBeDeleted = request -> allowedUnless(
            !request.event().isDeleted(), RejectionReason.EVENT_NOT_DELETED,
            "event %s is not deleted; there is nothing to restore".formatted(request.event().id()));

    static List<SoftDeletePolicy> deletionPolicies() {
        return List.of(mustNotBeDeletedAlready, noConfirmedBookingsUntilItEndsUnlessCancelled, noActiveCheckouts);
    }

    static List<SoftDeletePolicy> restorePolicies() {
        return List.of(mustBeDeleted);
    }
}
