package io.ticketing.domain.service;

import io.ticketing.domain.model.ApiKey;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.port.in.FindApiKeyUseCase;
import io.ticketing.domain.port.out.ApiKeyPort;

import java.util.Objects;
import java.util.Optional;

/** Operators' API keys, looked up by hash when a request presents one. */
public class ApiKeyService implements FindApiKeyUseCase {

    private final ApiKeyPort apiKeys;

    public ApiKeyService(ApiKeyPort apiKeys) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    }

    @Override
    public Optional<ApiKey> findActiveApiKey(String keyHash) {
        return apiKeys.loadActiveApiKey(InvalidValueException.requiredText(keyHash, "keyHash"));
    }
}
