package io.ticketing.domain.port.out;

import io.ticketing.domain.model.PaymentSession;

import java.time.Instant;
import java.util.List;

/** For the sweeper, which may run in several instances at once. */
public interface ClaimExpiredPaymentSessionsPort {

    /**
     * Locks and returns up to {@code limit} OPEN sessions with {@code expiresAt <= now}, oldest expiry first,
     * skipping sessions another unit of work has locked ({@code FOR UPDATE SKIP LOCKED}), so that concurrent
     * sweepers claim disjoint batches and never wait for each other. The locks last until the unit of work ends.
     */
    List<PaymentSession> claimExpiredOpenSessions(Instant now, int limit);
}
