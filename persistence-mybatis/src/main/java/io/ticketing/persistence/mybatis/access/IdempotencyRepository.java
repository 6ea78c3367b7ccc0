package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.RequestAnswer;
import io.ticketing.domain.port.out.IdempotencyPort;
import io.ticketing.persistence.mybatis.Sessions;

import java.util.Optional;

/**
 * Idempotency keys and their answers (table {@code idempotency_key}), in the request's own transaction. A
 * request holds its key by a transaction-level advisory lock: PostgreSQL releases it at COMMIT or ROLLBACK,
 * and when the holder's connection dies, so a key is never left claimed. The lock is on the 32-bit hashes of
 * principal and key; two keys that share both only wait for each other while both run.
 */
public final class IdempotencyRepository implements IdempotencyPort {

    private final Sessions sessions;

    public IdempotencyRepository(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean lockIdempotencyKey(String principal, String key) {
        return sessions.withMapper(IdempotencyMapper.class, mapper -> mapper.tryLock(principal, key));
    }

    @Override
    public Optional<KeptAnswer> findIdempotencyAnswer(String principal, String key) {
        return Optional.ofNullable(sessions.withMapper(IdempotencyMapper.class, mapper -> mapper.find(principal, key)))
                .map(row -> new KeptAnswer(row.requestHash(), new RequestAnswer(row.responseStatus(), row.responseBody(), row.responseLocation())));
    }

    @Override
    public void keepIdempotencyAnswer(String principal, String key, String requestHash, RequestAnswer answer) {
        int kept = sessions.withMapper(IdempotencyMapper.class,
                mapper -> mapper.insert(principal, key, requestHash, answer));
        if (kept != 1) {
            throw new IllegalStateException("idempotency key " + key + " of " + principal
                    + " was answered already, although this request held it");
        }
    }
}
