package io.ticketing.api.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.ticketing.api.web.auth.AccessControl;
import io.ticketing.api.web.auth.Principal;
import io.ticketing.api.web.problem.ApiException;
import io.ticketing.api.web.problem.Problem;
import io.ticketing.api.web.problem.ProblemResponses;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.DomainException;
import io.ticketing.domain.model.RequestAnswer;
import io.ticketing.domain.port.in.RequestCommand;
import io.ticketing.domain.port.in.RequestOutcome;
import io.ticketing.domain.port.in.RunRequestUseCase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every route that writes runs as one unit of work ({@link RunRequestUseCase}): the caller's registration
 * on first use, the use case's effect and, with an {@code Idempotency-Key}, the answer kept for retries
 * commit together. A refusal undoes whatever the request changed. With a key: a retry with the same key
 * and body gets the committed answer again, status, body and {@code Location}
 * ({@code Idempotent-Replayed: true}), the same key with another
 * body is 422, a retry while the first request runs is 409 at once; a request that failed on the server's
 * side, or met a concurrent modification, committed nothing, so its retry runs afresh. Keys belong to the
 * caller, so two callers cannot collide.
 */
final class RequestTransaction {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;
    private static final String LOCATION = "Location";

    private final RunRequestUseCase requests;
    private final Callers callers;
    private final Requests bodies;

    RequestTransaction(RunRequestUseCase requests, Callers callers, Requests bodies) {
        this.requests = requests;
        this.callers = callers;
        this.bodies = bodies;
    }

    /** A write that reads a JSON body. */
    Handler wrap(Handler handler) {
        return wrap(handler, true);
    }

    /** A write that takes no body: none, or {} (a field sent would be ignored: 400 unknown-field). */
    Handler wrapWithoutBody(Handler handler) {
        return wrap(handler, false);
    }

    private Handler wrap(Handler handler, boolean takesBody) {
        return ctx -> {
            String key = ctx.header(HEADER);
            // ASCII: a header's other bytes reach the server as ISO-8859-1, one character each, so that the length a
            // client counted would not be the one checked here.
            if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7F))) {
                throw ApiException.of(400, "invalid-idempotency-key", "The " + HEADER + " header must be 1 to " + MAX_KEY_LENGTH
                        + " ASCII characters (a UUID, for example).");
            }
            Principal principal = AccessControl.principal(ctx);
            RequestCommand command = key == null
                    ? RequestCommand.withoutKey(callers.envelope(principal), principal.idempotencyScope())
                    : RequestCommand.idempotent(callers.envelope(principal), principal.idempotencyScope(), key, requestHash(ctx));
            RequestOutcome outcome;
            try {
                outcome = requests.run(command, () -> answer(handler, takesBody, ctx));
            } catch (HandlerFailure failure) {
                throw failure.exception;
            }
            switch (outcome.kind()) {
                case ANSWERED -> { } // the handler's answer is in ctx
                case REPLAYED -> replay(ctx, outcome.answer());
                case IN_FLIGHT -> throw ApiException.of(409, "idempotency-key-in-flight", "A request with this " + HEADER + " is still being processed; retry in a moment.");
                case KEY_REUSED -> throw ApiException.of(422, "idempotency-key-reused", "This " + HEADER + " was used for a different request; use a new key for a new request.");
            }
        };
    }

    /** Runs the handler (again, from the start, when the unit of work retries) and says what it answered. */
    private RequestAnswer answer(Handler handler, boolean takesBody, Context ctx) {
        callers.forget(ctx); // an actor found in an attempt that rolled back may not exist
        try {
            bodies.checkSentBody(ctx, takesBody); // refused like any request: undone, and kept for its key
            handler.handle(ctx);
        } catch (ApiException e) {
            ProblemResponses.send(ctx, e.problem());
        } catch (ConcurrentChangeException e) {
            throw e; // transient: nothing is kept, and a retry runs afresh
        } catch (DomainException e) {
            // The domain's refusal (seats taken, checkout expired, …) is this request's answer.
            ProblemResponses.send(ctx, DomainProblems.of(e));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new HandlerFailure(e);
        }
        return new RequestAnswer(ctx.status().getCode(), ctx.result(), ctx.res().getHeader(LOCATION));
    }

    private static void replay(Context ctx, RequestAnswer kept) {
        if (kept.location() != null) {
            ctx.header(LOCATION, kept.location());
        }
        ctx.status(kept.status())
                .header(REPLAYED_HEADER, "true")
                .contentType(kept.status() >= 400 ? Problem.CONTENT_TYPE : "application/json")
                .result(kept.body() == null ? "" : kept.body());
    }

    /** The method, path and body: what makes a retry the same request. */
    private static String requestHash(Context ctx) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ctx.method() + " " + ctx.path() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(RequestBodies.read(ctx));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checked exception of a handler, carried through the unit of work (which rolls back) to Javalin's handlers. */
    private static final class HandlerFailure extends RuntimeException {
        private final Exception exception;

        HandlerFailure(Exception exception) {
            super(exception.getMessage(), exception, false, false);
            this.exception = exception;
        }
    }
}
