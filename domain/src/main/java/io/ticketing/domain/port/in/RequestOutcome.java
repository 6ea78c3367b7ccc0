package io.ticketing.domain.port.in;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.RequestAnswer;

/**
 * How a request ended: it ran and this is its answer ({@code ANSWERED}); its idempotency key was answered
 * before and this is that answer again ({@code REPLAYED}); the first request with the key is still running
 * ({@code IN_FLIGHT}, no answer); or the key was used for another request ({@code KEY_REUSED}, no answer).
 */
public record RequestOutcome(Kind kind, RequestAnswer answer) {

    public enum Kind { ANSWERED, REPLAYED, IN_FLIGHT, KEY_REUSED }

    public RequestOutcome {
        InvalidValueException.required(kind, "kind");
        InvalidValueException.check((answer != null) == (kind == Kind.ANSWERED || kind == Kind.REPLAYED),
                "exactly answered and replayed requests carry an answer");
    }

    public static RequestOutcome answered(RequestAnswer answer) {
        return new RequestOutcome(Kind.ANSWERED, answer);
    }
}
