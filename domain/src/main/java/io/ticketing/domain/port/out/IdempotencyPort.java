package io.ticketing.domain.port.out;

import io.ticketing.domain.model.RequestAnswer;

import java.util.Optional;

/**
 * Idempotency keys and the answers of their requests, per principal. Called inside the request's unit of
 * work: the key is taken for that unit of work, and an answer kept in it commits with the request's effect.
 */
public interface IdempotencyPort {

    /** An answer kept for a key, with the hash of the request that got it. */
    record KeptAnswer(String requestHash, RequestAnswer answer) {
    }

    /**
     * Takes the key for the current unit of work without waiting; false while another unit of work holds it.
     * The key is released when the unit of work ends, however it ends (its process dying included).
     */
    boolean lockIdempotencyKey(String principal, String key);

    Optional<KeptAnswer> findIdempotencyAnswer(String principal, String key);

    /** Keeps the answer of the key's request, in the current unit of work; at most once per key. */
    void keepIdempotencyAnswer(String principal, String key, String requestHash, RequestAnswer answer);
}
