package io.ticketing.api.web.auth;

import java.util.Optional;

/** Where the hashes of the API keys live; the bootstrap plugs in the database. */
@FunctionalInterface
public interface ApiKeyStore {

    /** The role and name of the active (not revoked) key with this SHA-256 hash. */
    Optional<StoredKey> findActive(String keyHash);

    record StoredKey(String name, Role role) {
    }
}
