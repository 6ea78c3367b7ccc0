package io.ticketing.domain.port.out;

import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** For the sweeper, which may run in several instances at once. */
public interface ClaimExpiredPaymentSessionsPort {

    /**
     * Locks and returns up to {@code limit} OPEN sessions with {@code expiresAt <= now}, oldest expiry first,
     * skipping sessions another unit of work has locked ({@code FOR UPDATE SKIP LOCKED}), so that concurrent
     * sweepers claim disjoint batches and never wait for each other, and leaving out the sessions in
     * {@code skipping} (those the sweeper failed to expire lately). The locks last until the unit of work ends.
     */
    List<PaymentSession> claimExpiredOpenSessions(Instant now, int limit, Set<PaymentSessionId> skipping);
}
