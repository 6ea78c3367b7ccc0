package io.ticketing.persistence.mybatis.access;

import io.ticketing.persistence.mybatis.Sessions;

import java.time.Duration;

/**
 * Idempotency keys of POST requests (table {@code idempotency_key}): the first request with a key
 * claims it, and its answer is kept so that a retry gets the same answer. A claim left in flight
 * longer than {@code abandonedAfter} (its process died) may be taken over by a retry.
 */
public final class IdempotencyRepository {

    private final Sessions sessions;
    private final Duration abandonedAfter;

    public IdempotencyRepository(Sessions sessions, Duration abandonedAfter) {
        this.sessions = sessions;
        this.abandonedAfter = abandonedAfter;
    }

    public Claim claim(String principal, String key, String requestHash) {
        return sessions.inTransaction("system", session -> {
            IdempotencyMapper mapper = session.getMapper(IdempotencyMapper.class);
            IdempotencyMapper.Row row;
            do {
                if (mapper.insert(principal, key, requestHash) == 1
                        || mapper.takeOverAbandoned(principal, key, requestHash, abandonedAfter.toMillis()) == 1) {
                    return Claim.claimed();
                }
                // Null when the holder released the key between our insert and our read: claim it afresh,
                // so that a claim always stands on a stored row that complete() can record the answer in.
                row = mapper.find(principal, key);
            } while (row == null);
            if (!row.requestHash().equals(requestHash)) {
                return new Claim(Claim.Outcome.DIFFERENT_REQUEST, 0, null);
            }
            return "COMPLETED".equals(row.state())
                    ? new Claim(Claim.Outcome.COMPLETED, row.responseStatus(), row.responseBody())
                    : new Claim(Claim.Outcome.IN_FLIGHT, 0, null);
        });
    }

    public void complete(String principal, String key, int status, String body) {
        sessions.withMapper(IdempotencyMapper.class, mapper -> mapper.complete(principal, key, status, body));
    }

    /** Forgets a claim whose request failed in a way a retry may fix (e.g. a server error). */
    public void release(String principal, String key) {
        sessions.withMapper(IdempotencyMapper.class, mapper -> mapper.delete(principal, key));
    }

    public record Claim(Outcome outcome, int responseStatus, String responseBody) {
        public enum Outcome { CLAIMED, COMPLETED, IN_FLIGHT, DIFFERENT_REQUEST }

        static Claim claimed() {
            return new Claim(Outcome.CLAIMED, 0, null);
        }
    }
}
