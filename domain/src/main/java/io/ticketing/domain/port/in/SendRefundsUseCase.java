package io.ticketing.domain.port.in;

import java.time.Duration;

/**
 * Sends the refund outbox to the payment provider, one batch of due REQUESTED requests at a time; safe to run in
 * several instances at once. A batch is claimed in one short unit of work (SKIP LOCKED, each request leased for
 * {@link #LEASE}), sent to the provider outside any unit of work, and each outcome recorded in a short unit of work
 * of its own: SENT with the provider's refund reference; on a transient failure tried again after a backoff
 * ({@link #retryAfter}); FAILED when refused, after {@link #MAX_ATTEMPTS} attempts, or without a payment to refund.
 * Every attempt of a request uses its stable idempotency key, so a resend after a crash between the provider's
 * answer and the record is refunded once by the provider.
 */
public interface SendRefundsUseCase {

    /** How long a claimed request is left to its worker: longer than a provider call may take. */
    Duration LEASE = Duration.ofMinutes(5);

    /** Attempts before a request that keeps failing transiently is FAILED (and left to an operator). */
    int MAX_ATTEMPTS = 8;

    /** The requests a batch claims by default. */
    int DEFAULT_BATCH_SIZE = 50;

    /** Sends one batch and answers what became of it. */
    RefundRun sendDueRefunds(SendRefundsCommand command);

    /** The wait after the {@code attempts}-th failed attempt: 30 s, doubling, at most an hour. */
    static Duration retryAfter(int attempts) {
        int doublings = Math.min(Math.max(attempts, 1) - 1, 7);
        Duration wait = Duration.ofSeconds(30L << doublings);
        return wait.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : wait;
    }
}
