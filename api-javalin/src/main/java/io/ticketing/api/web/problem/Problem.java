package io.ticketing.api.web.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.HttpStatus;

/**
 * An RFC 9457 problem detail. {@code code} is stable and machine-readable; {@code title} and
 * {@code detail} are for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String code, String detail, String instance) {

    /**
     * Said in full: Jetty added the charset to a problem written by {@code json()} but not to one written as text, so
     * that a replayed refusal (RequestTransaction) carried another Content-Type than the first answer.
     */
    public static final String CONTENT_TYPE = "application/problem+json;charset=utf-8";

    /** The title is the status's own phrase ("Conflict", "Unprocessable Content", RFC 9110): one title per status, everywhere. */
    public static Problem of(int status, String code, String detail) {
        return new Problem("https://ticketing.io/problems/" + code, HttpStatus.forStatus(status).getMessage(), status, code, detail, null);
    }

    /** A refusal of the HTTP layer itself (unknown route, wrong method, body too large, a URI Jetty refuses, …): a stable code per status. */
    public static Problem ofHttpStatus(int status, String detail) {
        String code = switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "request-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        return of(status, code, detail);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, code, detail, path);
    }
}
