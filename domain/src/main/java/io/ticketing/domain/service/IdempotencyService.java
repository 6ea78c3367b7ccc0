package io.ticketing.domain.service;

import io.ticketing.domain.model.IdempotencyClaim;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.port.in.RecordIdempotentRequestUseCase;
import io.ticketing.domain.port.out.IdempotencyPort;

import java.util.Objects;

/** Idempotency keys of requests and their first answers, kept by the {@link IdempotencyPort}. */
public class IdempotencyService implements RecordIdempotentRequestUseCase {

    private final IdempotencyPort keys;

    public IdempotencyService(IdempotencyPort keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public IdempotencyClaim claim(String principal, String key, String requestHash) {
        InvalidValueException.requiredText(principal, "principal");
        InvalidValueException.requiredText(key, "idempotency key");
        InvalidValueException.requiredText(requestHash, "requestHash");
        return keys.claimIdempotencyKey(principal, key, requestHash);
    }

    @Override
    public void complete(String principal, String key, int status, String body) {
        keys.completeIdempotencyKey(principal, key, status, body);
    }

    @Override
    public void release(String principal, String key) {
        keys.releaseIdempotencyKey(principal, key);
    }
}
