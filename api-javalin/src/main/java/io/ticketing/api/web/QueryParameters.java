package io.ticketing.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.ticketing.api.web.problem.ApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters each operation of the OpenAPI document takes; any other is refused (400 unknown-parameter), as a
 * field a body does not have is: a misspelt one (`?limt=5`) answered with the default would read as the answer asked
 * for. A route the document does not describe is left alone.
 */
final class QueryParameters {

    /** How much of an unknown name the refusal repeats. */
    private static final int NAME_SHOWN = 100;

    /** "get /events" → its query parameters' names. */
    private final Map<String, Set<String>> byOperation = new HashMap<>();

    QueryParameters(String documentAsJson) {
        JsonNode document;
        try {
            document = new ObjectMapper().readTree(documentAsJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (operation.getKey().equals("parameters")) {
                return;
            }
            Set<String> names = new TreeSet<>();
            for (JsonNode parameters : new JsonNode[] {path.getValue().path("parameters"), operation.getValue().path("parameters")}) {
                for (JsonNode parameter : parameters) {
                    JsonNode resolved = parameter.has("$ref") ? document.at(parameter.get("$ref").asText().substring(1)) : parameter;
                    if (resolved.path("in").asText().equals("query")) {
                        names.add(resolved.path("name").asText());
                    }
                }
            }
            byOperation.put(operation.getKey() + " " + path.getKey(), names);
        }));
    }

    /** Runs before every matched route. */
    void refuseUnknown(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (matched == null || ctx.queryParamMap().isEmpty()) {
            return;
        }
        HandlerType method = matched.method == HandlerType.HEAD ? HandlerType.GET : matched.method;
        Set<String> known = byOperation.get(method.name().toLowerCase(Locale.ROOT) + " " + matched.path);
        if (known == null) {
            return;
        }
        for (String name : ctx.queryParamMap().keySet()) {
            if (!known.contains(name)) {
                String shown = name.length() > NAME_SHOWN ? name.substring(0, NAME_SHOWN) + "…" : name;
                throw ApiException.of(400, "unknown-parameter", "Unknown query parameter '" + shown + "': "
                        + (known.isEmpty() ? "this request takes none." : "this request takes " + String.join(", ", known) + "."));
            }
        }
    }
}
