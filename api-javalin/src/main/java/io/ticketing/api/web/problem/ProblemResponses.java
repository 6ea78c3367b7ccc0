package io.ticketing.api.web.problem;

import io.javalin.http.Context;

/** Writes a problem as the answer of a request, in its own media type. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void send(Context ctx, Problem problem) {
        // json() sets application/json; the problem's own media type goes on after it.
        ctx.status(problem.status()).json(problem.at(ctx.path())).contentType(Problem.CONTENT_TYPE);
    }
}
