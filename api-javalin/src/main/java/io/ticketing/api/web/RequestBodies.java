package io.ticketing.api.web;

import io.javalin.http.Context;
import io.ticketing.api.web.problem.ApiException;
import io.ticketing.api.web.problem.Problem;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

import java.util.concurrent.TimeoutException;

/**
 * A request's body as the handlers read it, and what a client did wrong that only reading it shows: a body cut
 * short or badly chunked (400 {@code bad-request}), one that stopped arriving for the server's idle timeout (408
 * {@code request-timeout}). Nothing was done with either. Javalin would answer the timeout itself, with an empty
 * text/plain 408, before any exception handler of ours saw it: hence the reading here, in the handler's call.
 */
final class RequestBodies {

    private RequestBodies() {
    }

    static byte[] read(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (RuntimeException e) {
            throw refusalOf(e, e);
        } catch (Exception e) {
            // Jetty's IOException, which Javalin (Kotlin) throws undeclared.
            throw refusalOf(e, new IllegalStateException(e));
        }
    }

    /** The problem of a body the client broke, found in {@code e}'s causes, or else {@code otherwise}. */
    static RuntimeException refusalOf(Throwable e, RuntimeException otherwise) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return new ApiException(Problem.of(408, "request-timeout",
                        "The request's body stopped arriving before its end; send it whole, without pausing."));
            }
            if (t instanceof EofException || t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return new ApiException(Problem.ofHttpStatus(400,
                        "The request's body ended before its declared length or its chunked encoding is broken; send it whole."));
            }
        }
        return otherwise;
    }
}
