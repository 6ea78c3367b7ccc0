package io.ticketing.app;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Holds every answer the tests receive to the served OpenAPI document: the route and status must be
 * documented, and the body must match its schema and media type. Requests are not checked, since
 * many tests send bad requests on purpose.
 */
final class OpenApiContract {

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(document())
            .withLevelResolver(LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .build())
            .build();

    private OpenApiContract() {
    }

    static void check(String method, URI uri, int status, String contentType, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), uri.getPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                request.withQueryParam(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status).withBody(body);
        if (!contentType.isEmpty()) {
            response.withContentType(contentType);
        }
        ValidationReport report = VALIDATOR.validate(request.build(), response.build());
        if (report.hasErrors()) {
            throw new AssertionError("the answer to " + method + " " + uri.getPath() + " (" + status + ") breaks openapi.yaml:\n"
                    + report.getMessages() + "\nbody: " + body);
        }
    }

    private static String document() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/api/openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
