package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.ticketing.api.web.problem.Problem;
import io.ticketing.api.web.problem.ProblemResponses;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.ticketing.api.web.auth.AccessControl;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.DomainException;
import io.ticketing.domain.model.IdempotencyClaim;
import io.ticketing.domain.port.in.RecordIdempotentRequestUseCase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code Idempotency-Key} on the POSTs that reserve, pay or cancel: the first request with a key
 * runs and its answer is kept; a retry with the same key and body gets that answer again, the same
 * key with another body is 422, and a retry while the first is still running is 409. Keys belong
 * to the caller, so two callers cannot collide. Refusals are answers like any other and are kept;
 * a request that failed on the server's side, or met a concurrent modification, releases its key,
 * so that a retry runs afresh.
 */
final class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    private final RecordIdempotentRequestUseCase store;

    Idempotency(RecordIdempotentRequestUseCase store) {
        this.store = store;
    }

    Handler wrap(Handler handler) {
        return ctx -> {
            String key = ctx.header(HEADER);
            if (key == null) {
                handler.handle(ctx);
                return;
            }
            if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
                throw ApiException.of(400, "invalid-idempotency-key", "Bad request",
                        "The " + HEADER + " header must be 1 to " + MAX_KEY_LENGTH + " characters.");
            }
            String principal = AccessControl.principal(ctx).actor();
            IdempotencyClaim claim = store.claim(principal, key, requestHash(ctx));
            switch (claim.outcome()) {
                case CLAIMED -> runOnce(handler, ctx, principal, key);
                case COMPLETED -> replay(ctx, claim);
                case IN_FLIGHT -> throw ApiException.of(409, "idempotency-key-in-flight", "Conflict",
                        "A request with this " + HEADER + " is still being processed; retry in a moment.");
                case DIFFERENT_REQUEST -> throw ApiException.of(422, "idempotency-key-reused", "Unprocessable Entity",
                        "This " + HEADER + " was used for a different request; use a new key for a new request.");
            }
        };
    }

    private void runOnce(Handler handler, Context ctx, String principal, String key) throws Exception {
        try {
            handler.handle(ctx);
        } catch (ApiException e) {
            ProblemResponses.send(ctx, e.problem());
        } catch (ConcurrentChangeException e) {
            // Transient, like a failure on the server's side: the retry runs afresh.
            store.release(principal, key);
            throw e;
        } catch (DomainException e) {
            // The domain's refusal (seats taken, checkout expired, …) is this request's answer: kept.
            ProblemResponses.send(ctx, DomainProblems.of(e));
        } catch (Exception | Error e) {
            store.release(principal, key);
            throw e;
        }
        int status = ctx.status().getCode();
        if (status >= 500) {
            store.release(principal, key);
        } else {
            store.complete(principal, key, status, ctx.result());
        }
    }

    private static void replay(Context ctx, IdempotencyClaim completed) {
        ctx.status(completed.status())
                .header(REPLAYED_HEADER, "true")
                .contentType(completed.status() >= 400 ? Problem.CONTENT_TYPE : "application/json")
                .result(completed.body() == null ? "" : completed.body());
    }

    /** The method, path and body: what makes a retry the same request. */
    private static String requestHash(Context ctx) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ctx.method() + " " + ctx.path() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(ctx.bodyAsBytes());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
