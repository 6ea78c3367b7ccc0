package io.ticketing.domain.port.out;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.RefundRequestId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The refund outbox: refunds owed, written with the change that owes them, sent to the provider later. */
public interface RefundRequestPort {

    /**
     * Stores the request in the current unit of work unless its booking has one already (a booking is refunded at
     * most once, whoever asks twice): true if stored, false if the booking had one.
     */
    default boolean insertRefundRequest(RefundRequest request) {
        return insertRefundRequests(List.of(request)) == 1;
    }

    /**
     * Stores the requests in the current unit of work, set-based (one step for a batch of cancelled bookings), each
     * unless its booking has one already: how many were stored. An adapter whose checkouts can record the booking they
     * led to (the SQL one: a migrated booking names no checkout, its legacy checkout names the booking) stores a
     * request without a checkout with the one that paid for the booking: a SUCCEEDED checkout naming it, the one
     * with the provider's reference first.
     */
    int insertRefundRequests(List<RefundRequest> requests);

    /** The event's refund requests, oldest first. */
    List<RefundRequest> loadRefundRequestsOfEvent(EventId eventId);

    /**
     * Claims up to {@code limit} REQUESTED requests due at {@code now} (next attempt at or before it), oldest due
     * first, skipping those another unit of work holds (SKIP LOCKED), and leases each one: its next attempt moves
     * to {@code leasedUntil}, so once this unit of work commits, no other worker claims it before then, whether
     * or not this one records an outcome.
     */
    List<DueRefund> claimDueRefundRequests(Instant now, Instant leasedUntil, int limit);

    /**
     * Records the outcome of an attempt to send a REQUESTED request: its new status (REQUESTED again for a retry,
     * SENT or FAILED), its attempts so far, when it is tried next (a retry), the provider's refund reference (SENT),
     * the last error, and when it completed (FAILED). False, and nothing changed, if the request is no longer
     * REQUESTED (a `refunded` report was faster).
     */
    boolean recordRefundAttempt(RefundAttempt attempt);

    /**
     * The refund request that gives back a payment of this checkout, if there is one, locked as asked (the provider's
     * `refunded` report takes it EXCLUSIVE, so two reports of one refund take turns): the one the provider's refund
     * reference {@code refundReference} was recorded for when it was sent; else, when the checkout has one refund
     * request only, that one (a checkout charged twice has two, told apart by the reference alone).
     */
    Optional<RefundRequest> loadRefundRequestOfPaymentSession(PaymentSessionId paymentSessionId, String refundReference, RowLock lock);

    /**
     * The refund request that gives back {@code paymentReference}, a payment the checkout took beside its own (a second
     * one, or one of another amount), if there is one: a repeat of its report finds it and requests nothing more.
     */
    Optional<RefundRequest> loadRefundRequestOfAnotherPayment(EventId eventId, PaymentSessionId paymentSessionId, String paymentReference);

    /**
     * Records that the provider refunded the request: REFUNDED, completed at {@code completedAt}, its refund
     * reference kept (the one recorded when it was SENT, else {@code providerRefundRef} if given). False, and nothing
     * changed, if it was REFUNDED already.
     */
    boolean recordRefundCompleted(RefundRequest request, String providerRefundRef, Instant completedAt);

    /** A request the worker claimed: the request, the provider's reference of the payment to refund, its attempts so far. */
    record DueRefund(RefundRequest request, Optional<String> providerPaymentRef, int attempts) {
    }

    /** The outcome of one attempt, for {@link #recordRefundAttempt}. */
    record RefundAttempt(EventId eventId, RefundRequestId id, RefundRequest.Status status, int attempts,
                         Instant nextAttemptAt, String providerRefundRef, String lastError, Instant completedAt) {
    }
}
