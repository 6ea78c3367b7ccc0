package io.ticketing.api.web;

import io.javalin.http.Context;
import io.ticketing.api.web.auth.Authenticator;
import io.ticketing.api.web.problem.ApiException;

import java.util.Collections;
import java.util.Locale;

/**
 * Requests whose meaning would be a guess, refused before anything reads them (a query parameter
 * given twice: {@link Requests#query}).
 */
final class AmbiguousRequests {

    private AmbiguousRequests() {
    }

    /**
     * A path with a "." or ".." segment: routes match it as written, so that "/events/../events" found
     * nothing (404) while a proxy or a browser would have resolved it to "/events".
     */
    static void refuseDotSegments(Context ctx) {
        for (String segment : ctx.req().getRequestURI().split("/", -1)) {
            String decoded = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                throw ApiException.of(400, "bad-request", "The path has a '" + decoded + "' segment; send it resolved.");
            }
        }
    }

    /**
     * A body in a transfer coding other than chunked ("gzip, chunked"): Jetty takes the chunks off and hands on the
     * rest, still gzip'd, as though it were the body. RFC 9112 (6.1): 501, for a coding the server does not know.
     */
    static void refuseTransferCodings(Context ctx) {
        for (String line : Collections.list(ctx.req().getHeaders("Transfer-Encoding"))) {
            for (String coding : line.split(",")) {
                if (!coding.strip().equalsIgnoreCase("chunked")) {
                    throw ApiException.of(501, "unsupported-transfer-coding", "The transfer coding '" + coding.strip()
                            + "' is not supported: send the body as it is, chunked or with a Content-Length.");
                }
            }
        }
    }

    /**
     * A credential (a webhook's signature included) or an idempotency key sent in two header lines: which one counts
     * would be a guess (a server takes the first, a proxy the last), and a valid one must not hide a wrong one.
     */
    static void refuseRepeatedHeaders(Context ctx) {
        for (String credential : new String[]{"Authorization", Authenticator.API_KEY_HEADER, PaymentWebhookSignature.HEADER}) {
            int lines = lines(ctx, credential);
            if (lines > 1) {
                throw ApiException.of(400, "ambiguous-credentials", "Send one credential: the " + credential + " header came " + lines + " times.");
            }
        }
        int keys = lines(ctx, RequestTransaction.HEADER);
        if (keys > 1) {
            throw ApiException.of(400, "invalid-idempotency-key", "Send one " + RequestTransaction.HEADER + " header, not " + keys + ".");
        }
    }

    private static int lines(Context ctx, String header) {
        return Collections.list(ctx.req().getHeaders(header)).size();
    }
}
