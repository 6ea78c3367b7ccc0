package io.ticketing.domain.port.in;

import io.ticketing.domain.model.ApiKey;

import java.util.Optional;

/** Who holds an operator's API key, by the key's SHA-256 hash: how a request authenticates with one. */
public interface FindApiKeyUseCase {

    Optional<ApiKey> findActiveApiKey(String keyHash);
}
