package io.ticketing.domain.model;

/**
 * What claiming an idempotency key found: the key is now this request's ({@code CLAIMED}), its first
 * request completed with {@code status} and {@code body} ({@code COMPLETED}), the first request is still
 * running ({@code IN_FLIGHT}), or the key was used for another request ({@code DIFFERENT_REQUEST}).
 */
public record IdempotencyClaim(Outcome outcome, int status, String body) {

    public enum Outcome { CLAIMED, COMPLETED, IN_FLIGHT, DIFFERENT_REQUEST }

    public static IdempotencyClaim of(Outcome outcome) {
        return new IdempotencyClaim(outcome, 0, null);
    }
}
