package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.IdempotencyClaim;
import io.ticketing.domain.model.IdempotencyClaim.Outcome;
import io.ticketing.domain.port.out.IdempotencyPort;
import io.ticketing.persistence.mybatis.Sessions;

import java.time.Duration;

/**
 * Idempotency keys of POST requests (table {@code idempotency_key}): the first request with a key
 * claims it, and its answer is kept so that a retry gets the same answer. A claim left in flight
 * longer than {@code abandonedAfter} (its process died) may be taken over by a retry.
 */
public final class IdempotencyRepository implements IdempotencyPort {

    private final Sessions sessions;
    private final Duration abandonedAfter;

    public IdempotencyRepository(Sessions sessions, Duration abandonedAfter) {
        this.sessions = sessions;
        this.abandonedAfter = abandonedAfter;
    }

    @Override
    public IdempotencyClaim claimIdempotencyKey(String principal, String key, String requestHash) {
        return sessions.inTransaction("system", session -> {
            IdempotencyMapper mapper = session.getMapper(IdempotencyMapper.class);
            IdempotencyMapper.Row row;
            do {
                if (mapper.insert(principal, key, requestHash) == 1
                        || mapper.takeOverAbandoned(principal, key, requestHash, abandonedAfter.toMillis()) == 1) {
                    return IdempotencyClaim.of(Outcome.CLAIMED);
                }
                // Null when the holder released the key between our insert and our read: claim it afresh,
                // so that a claim always stands on a stored row that complete() can record the answer in.
                row = mapper.find(principal, key);
            } while (row == null);
            if (!row.requestHash().equals(requestHash)) {
                return IdempotencyClaim.of(Outcome.DIFFERENT_REQUEST);
            }
            return "COMPLETED".equals(row.state())
                    ? new IdempotencyClaim(Outcome.COMPLETED, row.responseStatus(), row.responseBody())
                    : IdempotencyClaim.of(Outcome.IN_FLIGHT);
        });
    }

    @Override
    public void completeIdempotencyKey(String principal, String key, int status, String body) {
        sessions.withMapper(IdempotencyMapper.class, mapper -> mapper.complete(principal, key, status, body));
    }

    @Override
    public void releaseIdempotencyKey(String principal, String key) {
        sessions.withMapper(IdempotencyMapper.class, mapper -> mapper.delete(principal, key));
    }
}
