package io.ticketing.domain.model;

/**
 * The storage cannot be reached right now (no connection, or the server is going away): not the
 * request's fault nor a refusal of the domain, so not a {@link DomainException}. A retry in a moment
 * may succeed; nothing was changed.
 */
public final class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
