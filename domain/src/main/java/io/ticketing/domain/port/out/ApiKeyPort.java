package io.ticketing.domain.port.out;

import io.ticketing.domain.model.ApiKey;

import java.util.Optional;

/** The operators' API keys, known by their SHA-256 hashes only. */
public interface ApiKeyPort {

    /** The active (not revoked) key with this hash. */
    Optional<ApiKey> loadActiveApiKey(String keyHash);

    /** Stores a new key's hash. */
    void insertApiKey(ApiKey key, String keyHash);
}
