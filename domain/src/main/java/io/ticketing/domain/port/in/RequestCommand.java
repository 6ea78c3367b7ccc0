package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;

/**
 * A client's request: who makes it (the actor of its unit of work, and the principal its idempotency keys
 * belong to) and, if the client sent one, its idempotency key with a hash of what makes a retry the same
 * request (for HTTP: method, path and body).
 */
public record RequestCommand(Actor actor, String principal, String idempotencyKey, String requestHash) {

    public RequestCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.requiredText(principal, "principal");
        InvalidValueException.check((idempotencyKey == null) == (requestHash == null),
                "an idempotency key comes with the hash of its request");
        if (idempotencyKey != null) {
            InvalidValueException.requiredText(idempotencyKey, "idempotency key");
            InvalidValueException.requiredText(requestHash, "request hash");
        }
    }

    public static RequestCommand withoutKey(Actor actor, String principal) {
        return new RequestCommand(actor, principal, null, null);
    }

    public static RequestCommand idempotent(Actor actor, String principal, String idempotencyKey, String requestHash) {
        return new RequestCommand(actor, principal, idempotencyKey, requestHash);
    }

    public boolean hasIdempotencyKey() {
        return idempotencyKey != null;
    }
}
