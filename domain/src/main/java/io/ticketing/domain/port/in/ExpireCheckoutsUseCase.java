package io.ticketing.domain.port.in;

import java.time.Duration;

/**
 * Expires one batch of OPEN checkouts past their expiry and releases their seats; safe to run in several
 * instances at once. One checkout that cannot be expired does not stop the others: the batch is then taken
 * one checkout at a time, and the failing one is left out of the next sweeps for {@link #RETRY_FAILED_AFTER}.
 */
public interface ExpireCheckoutsUseCase {

    Duration RETRY_FAILED_AFTER = Duration.ofMinutes(10);

    ExpiryRun expireCheckouts(ExpireCheckoutsCommand command);
}
