package io.ticketing.domain.port.out;

import io.ticketing.domain.model.IdempotencyClaim;

/**
 * Idempotency keys of requests and their first answers, per principal. A claim left in flight longer
 * than the adapter allows (its process died) may be taken over by a retry.
 */
public interface IdempotencyPort {

    /** Claims {@code key} for the request with this hash, or says what the key's first request did. */
    IdempotencyClaim claimIdempotencyKey(String principal, String key, String requestHash);

    /** Keeps the answer of the request that claimed the key, for its retries. */
    void completeIdempotencyKey(String principal, String key, int status, String body);

    /** Forgets a claim whose request failed in a way a retry may fix. */
    void releaseIdempotencyKey(String principal, String key);
}
