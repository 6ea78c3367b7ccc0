package io.ticketing.domain.port.in;

import io.ticketing.domain.model.IdempotencyClaim;

/**
 * Requests that carry an idempotency key: the first claims the key and its answer is kept, a retry
 * gets that answer again. Keys belong to a principal, so two callers cannot collide.
 */
public interface RecordIdempotentRequestUseCase {

    IdempotencyClaim claim(String principal, String key, String requestHash);

    void complete(String principal, String key, int status, String body);

    void release(String principal, String key);
}
