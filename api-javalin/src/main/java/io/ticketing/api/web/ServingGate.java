package io.ticketing.api.web;

import java.util.Optional;

/**
 * Whether this instance may take requests that read or write the database now. While it may not, every such route
 * answers {@code 503 not-serving} with the reason and {@code Retry-After}, and {@code /ready} answers 503: the
 * database is being rewritten under it (a legacy import or rollback runs), or this instance could not confirm for a
 * while that it may write. {@code /health}, {@code /metrics} and the API's documentation still answer.
 */
@FunctionalInterface
public interface ServingGate {

    /** Empty while this instance may serve; else why not, in words. */
    Optional<String> closedBecause();

    static ServingGate alwaysOpen() {
        return Optional::empty;
    }
}
