package io.ticketing.app.flow;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Caller;
import io.ticketing.app.TestApplication.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests derived from the served OpenAPI document and broken on purpose (wrong types, nulls, NUL
 * characters, overflowing numbers, far dates, empty and huge collections, bad ids, missing and
 * unknown fields; wrong, missing or odd content types, missing and oversized bodies; each credential
 * missing, wrong, expired or of another role, or two at once; odd idempotency keys): never a 5xx,
 * every refusal problem+json, and every answer as the document says.
 *
 * <p>{@code mvn verify} sends 300 requests with a fixed seed; {@code -Dfuzz.tries=N} and {@code -Dfuzz.seed=S}
 * change both (what {@code benchmarks/run fuzz-api --tries N} does), and the run ends by printing how many
 * operations and requests it covered and how many 5xx it met.
 */
class ApiFuzzTest {

    private static final int DEFAULT_TRIES = 300;
    private static final String DEFAULT_SEED = "20261202";
    /** A header left out. */
    private static final String NONE = "(none)";

    private static TestApplication api;
    private static OpenAPI document;
    private static List<Operation> operations;
    private static String eventId;
    private static List<String> seats;
    private static final Set<String> operationsSent = ConcurrentHashMap.newKeySet();
    private static final AtomicLong requestsSent = new AtomicLong();
    private static final AtomicLong serverErrors = new AtomicLong();
    /** Above the 64 KiB a request may carry. */
    private static final String OVERSIZED = "{\"title\":\"" + "x".repeat(70_000) + "\"}";

    /** One operation of the document: its method, path template and request body schema (or null). */
    record Operation(String method, String path, Schema<?> body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A request to send: who asks, what, with which path parameter, body, content type and idempotency key. */
    record Fuzzed(Operation operation, String credential, String pathValue, String body, String contentType, String idempotencyKey) {
    }

    /** The tries and seed of this run: the build's defaults, or those given as -Dfuzz.tries and -Dfuzz.seed. */
    static final class Settings implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger("fuzz.tries", DEFAULT_TRIES));
            context.attributes().setSeed(System.getProperty("fuzz.seed", DEFAULT_SEED));
            return property.execute();
        }
    }

    @BeforeContainer
    static void start() throws IOException {
        api = TestApplication.start();
        eventId = publishedEventWithSeats(api, 2, 10);
        seats = availableSeatIds(api, eventId);
        try (InputStream in = ApiFuzzTest.class.getResourceAsStream("/api/openapi.yaml")) {
            document = new OpenAPIV3Parser().readContents(new String(in.readAllBytes(), StandardCharsets.UTF_8), null, null).getOpenAPI();
        }
        operations = new ArrayList<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            Schema<?> body = operation.getRequestBody() == null ? null
                    : resolve(operation.getRequestBody().getContent().get("application/json").getSchema());
            operations.add(new Operation(method.name(), path, body));
        }));
    }

    @AfterContainer
    static void stop() {
        api.close();
        // The tally a long run reports (benchmarks/run fuzz-api), shrinking's requests included.
        System.out.printf("fuzz-api: %d operations, %d requests, 5xx: %d (tries %d, seed %s)%n",
                operationsSent.size(), requestsSent.get(), serverErrors.get(),
                Integer.getInteger("fuzz.tries", DEFAULT_TRIES), System.getProperty("fuzz.seed", DEFAULT_SEED));
    }

    // Tries and seed come from Settings: a fixed seed keeps the build reproducible; a failure prints what it sent.
    @Property
    @AddLifecycleHook(Settings.class)
    void no_request_is_answered_with_a_5xx_or_outside_the_document(@ForAll("requests") Fuzzed request) {
        Caller caller = switch (request.credential()) {
            case "admin" -> api.admin();
            case "staff" -> api.staff();
            case "customer" -> api.customer("fuzz@example.com");
            case "another customer" -> api.customer("fuzz-other@example.com");
            case "wrong key" -> api.anonymous().with("X-API-Key", "tk_wrong");
            case "wrong token" -> api.anonymous().with("Authorization", "Bearer not.a.jwt");
            case "expired token" -> api.anonymous().with("Authorization", "Bearer " + TestApplication.token("fuzz@example.com",
                    TestApplication.ISSUER, TestApplication.AUDIENCE, Instant.now().minusSeconds(60), TestApplication.JWT_SECRET));
            case "token of another audience" -> api.anonymous().with("Authorization", "Bearer " + TestApplication.token("fuzz@example.com",
                    TestApplication.ISSUER, "another-api", Instant.now().plusSeconds(600), TestApplication.JWT_SECRET));
            case "basic auth" -> api.anonymous().with("Authorization", "Basic YWRtaW46YWRtaW4=");
            case "key and token" -> api.admin().with("Authorization", "Bearer " + TestApplication.customerToken("fuzz@example.com"));
            default -> api.anonymous();
        };
        if (request.idempotencyKey() != null) {
            caller = caller.with("Idempotency-Key", request.idempotencyKey());
        }
        String path = request.operation().path().replaceAll("\\{[^}]+}", request.pathValue());
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(request.operation().method(), request.body() == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(request.body()));
        if (request.contentType() != null) {
            http.header("Content-Type", request.contentType());
        }

        operationsSent.add(request.operation().toString());
        requestsSent.incrementAndGet();
        Response response = caller.sendUnchecked(http);
        if (response.status() >= 500) {
            serverErrors.incrementAndGet();
        }

        assertThat(response.status()).as(request + " → " + response).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.contentType()).as(request + " → " + response).startsWith("application/problem+json");
        }
        TestApplication.assertDocumented(http.build(), response);
    }

    @Provide
    Arbitrary<Fuzzed> requests() {
        Arbitrary<Operation> operation = Arbitraries.of(operations);
        Arbitrary<String> credential = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("admin")), Tuple.of(2, Arbitraries.just("staff")), Tuple.of(4, Arbitraries.just("customer")),
                Tuple.of(1, Arbitraries.of("another customer", "anonymous", "wrong key", "wrong token", "expired token",
                        "token of another audience", "basic auth", "key and token")));
        Arbitrary<String> pathValue = Arbitraries.of(eventId, seats.get(0), UUID.randomUUID().toString(), "not-a-uuid",
                eventId.toUpperCase(), "%20" + eventId, "TK-0000");
        // Mostly right, so that requests get past the media type to their bodies; else missing, wrong or odd.
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.of(NONE, "text/plain", "application/xml", "application/json; charset=utf-8",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/problem+json", "*/*")));
        Arbitrary<String> idempotencyKey = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(NONE)),
                Tuple.of(3, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)),
                Tuple.of(1, Arbitraries.of(" ", "x".repeat(256), "a key with spaces", "k")));
        return Combinators.combine(operation, credential, pathValue, Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        contentType, idempotencyKey)
                .as((op, who, id, seed, type, key) -> new Fuzzed(op, who, id, body(op, new Random(seed)),
                        NONE.equals(type) ? null : type, NONE.equals(key) ? null : key));
    }

    /** The operation's body (or none), sometimes missing or far beyond the 64 KiB a request may carry. */
    private static String body(Operation operation, Random random) {
        int roll = random.nextInt(40);
        if (roll == 0) {
            return null;
        }
        if (roll == 1) {
            return OVERSIZED;
        }
        return operation.body() == null ? null : body(operation.body(), random);
    }

    /** A JSON object for {@code schema}: each property left out, valid, or one of the hostile values; sometimes a field too many. */
    private static String body(Schema<?> schema, Random random) {
        if (random.nextInt(20) == 0) {
            return List.of("", "null", "[]", "{", "\"text\"", "{}").get(random.nextInt(6));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> {
                int roll = random.nextInt(10);
                if (roll == 0) {
                    return; // missing
                }
                fields.put(name, roll < 6 ? valid(resolve(property), random) : hostile(random));
            });
        }
        if (random.nextInt(10) == 0) {
            fields.put("unexpected", "1");
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
        return json.append('}').toString();
    }

    private static String valid(Schema<?> schema, Random random) {
        String type = schema.getType() == null ? "object" : schema.getType();
        return switch (type) {
            case "string" -> "uuid".equals(schema.getFormat()) ? '"' + (random.nextBoolean() ? eventId : seats.get(random.nextInt(seats.size()))) + '"'
                    : "date-time".equals(schema.getFormat()) ? "\"2031-05-01T20:00:00Z\"" : "\"EUR\"";
            case "integer" -> Integer.toString(1 + random.nextInt(3));
            case "number" -> "12.50";
            case "boolean" -> "true";
            case "array" -> "[" + valid(resolve(schema.getItems()), random) + "]";
            default -> body(schema, random);
        };
    }

    private static String hostile(Random random) {
        List<String> values = List.of("null", "\"\"", "\"a\\u0000b\"", "\"a\\ud800b\"", "1e400", "-1", "2147483648", "1.5",
                "\"+300000-01-01T00:00:00Z\"", "1700000000", "[]", "[null]", "{}", "\"" + "x".repeat(300) + "\"", "true",
                "\"" + UUID.randomUUID() + "\\u0000\"", "\" " + eventId + "\"", "\"12.50\"");
        return values.get(random.nextInt(values.size()));
    }

    private static Schema<?> resolve(Schema<?> schema) {
        if (schema == null || schema.get$ref() == null) {
            return schema;
        }
        String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
        return document.getComponents().getSchemas().get(name);
    }
}
