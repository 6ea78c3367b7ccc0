package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.ApiKey;
import io.ticketing.domain.port.out.ApiKeyPort;
import io.ticketing.persistence.mybatis.Sessions;

import java.util.Optional;
import java.util.UUID;

/** The hashes of the API keys of admins and staff (table {@code api_key}). */
public final class ApiKeyRepository implements ApiKeyPort {

    private final Sessions sessions;

    public ApiKeyRepository(Sessions sessions) {
        this.sessions = sessions;
    }

    /** Stores a new key's hash; {@code role} is ADMIN or STAFF. */
    public UUID create(String name, String role, String keyHash) {
        UUID id = UUID.randomUUID();
        sessions.withMapper(ApiKeyMapper.class, mapper -> mapper.insert(id, name, role, keyHash));
        return id;
    }

    @Override
    public Optional<ApiKey> loadActiveApiKey(String keyHash) {
        return Optional.ofNullable(sessions.withMapper(ApiKeyMapper.class, mapper -> mapper.findActive(keyHash)));
    }

    @Override
    public void insertApiKey(ApiKey key, String keyHash) {
        create(key.name(), key.role().name(), keyHash);
    }

    /** Whether any active key exists, so that a bootstrap key is created only on an empty table. */
    public boolean anyActive(String role) {
        return sessions.withMapper(ApiKeyMapper.class, mapper -> mapper.countActive(role)) > 0;
    }
}
