package io.ticketing.domain.service;

import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.port.in.RefundRun;
import io.ticketing.domain.port.in.SendRefundsCommand;
import io.ticketing.domain.port.in.SendRefundsUseCase;
import io.ticketing.domain.port.out.RefundPaymentPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RefundRequestPort.DueRefund;
import io.ticketing.domain.port.out.RefundRequestPort.RefundAttempt;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The refund worker: claims due requests of the refund outbox in one short unit of work, calls the provider with no
 * unit of work open (a network call never holds a transaction), and records each outcome in a short unit of work.
 *
 * <p>Exactly once: the claim leases each request ({@link SendRefundsUseCase#LEASE}), so two workers never send the
 * same request at the same time; and every attempt sends the request's stable idempotency key, so the provider
 * refunds once even when a worker dies between the provider's answer and its record (the lease runs out, another
 * attempt sends again, the provider answers with the refund it made); and a batch stops sending when less than
 * {@link #LEASE_MARGIN} of its lease is left, so a slow provider never makes it send past its lease. A request without a provider reference of
 * its payment (a migrated booking whose legacy checkout recorded none) is not sent: it is FAILED at once, for an
 * operator to refund by hand.
 */
public class RefundService extends ServiceSupport implements SendRefundsUseCase {

    /** What must be left of the lease to send one more refund of the batch: more than one provider call takes. */
    static final Duration LEASE_MARGIN = Duration.ofMinutes(1);
    static final int MAX_ERROR_LENGTH = 500;

    static final String NO_PAYMENT_REFERENCE =
            "no provider reference of the payment (a booking migrated without one): refund it outside the provider";

    private final RefundRequestPort refundRequests;
    private final RefundPaymentPort provider;

    public RefundService(UnitOfWorkPort unitOfWork, Clock clock, RefundRequestPort refundRequests, RefundPaymentPort provider) {
        super(unitOfWork, clock);
        this.refundRequests = Objects.requireNonNull(refundRequests, "refundRequests");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public RefundRun sendDueRefunds(SendRefundsCommand command) {
        Instant now = now();
        Instant leasedUntil = now.plus(LEASE);
        List<DueRefund> claimed = inUnitOfWork(command.actor(), () ->
                refundRequests.claimDueRefundRequests(now, leasedUntil, command.batchSize()));
        int sent = 0;
        int retrying = 0;
        int failed = 0;
        for (DueRefund due : claimed) {
            if (now().isAfter(leasedUntil.minus(LEASE_MARGIN))) {
                break; // a slow provider used up the lease: the rest is claimed again once it runs out, maybe elsewhere
            }
            RefundAttempt outcome = send(due);
            boolean recorded = inUnitOfWork(command.actor(), () -> refundRequests.recordRefundAttempt(outcome));
            if (!recorded) {
                continue;
            }
            switch (outcome.status()) {
                case SENT -> sent++;
                case REQUESTED -> retrying++;
                default -> failed++;
            }
        }
        return new RefundRun(claimed.size(), sent, retrying, failed);
    }

    /** One attempt: the provider's call and what to record of it; no unit of work is open here. */
    private RefundAttempt send(DueRefund due) {
        RefundRequest request = due.request();
        int attempts = due.attempts() + 1;
        if (due.providerPaymentRef().isEmpty()) {
            return failed(request, attempts, NO_PAYMENT_REFERENCE);
        }
        try {
            String refundRef = provider.refund(new RefundPaymentPort.Refund(due.providerPaymentRef().get(),
                    request.amount(), request.providerIdempotencyKey()));
            return new RefundAttempt(request.eventId(), request.id(), RefundRequest.Status.SENT, attempts, null,
                    refundRef, null, null);
        } catch (RefundPaymentPort.Refused refused) {
            return failed(request, attempts, truncated("refused by the provider: " + refused.getMessage()));
        } catch (RuntimeException e) {
            // RetryLater, or an adapter's unexpected failure: either way the provider may or may not have refunded,
            // and the next attempt's key settles it.
            String error = truncated(e.getClass().getSimpleName() + ": " + e.getMessage());
            if (attempts >= MAX_ATTEMPTS) {
                return failed(request, attempts, error);
            }
            return new RefundAttempt(request.eventId(), request.id(), RefundRequest.Status.REQUESTED, attempts,
                    now().plus(SendRefundsUseCase.retryAfter(attempts)), null, error, null);
        }
    }

    private static String truncated(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    private RefundAttempt failed(RefundRequest request, int attempts, String error) {
        return new RefundAttempt(request.eventId(), request.id(), RefundRequest.Status.FAILED, attempts, null, null,
                error, now());
    }
}
