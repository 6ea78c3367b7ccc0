package io.ticketing.api.web.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code code} is stable and machine-readable; {@code title} and
 * {@code detail} are for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String code, String detail, String instance) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("https://ticketing.io/problems/" + code, title, status, code, detail, null);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, code, detail, path);
    }
}
