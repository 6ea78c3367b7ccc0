package io.ticketing.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ticketing.api.web.PaymentWebhookSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The HTTP API as the benchmarks' simulated callers use it: customers with signed tokens, an admin
 * with an API key, and the payment provider with signed webhooks. One shared {@link HttpClient}; a
 * request that gets no answer (the server is down, the connection dropped) throws
 * {@link UncheckedIOException}, so that a caller can tell "refused" from "unknown".
 */
final class ApiClient {

    static final String ISSUER = "ticketing";
    static final String AUDIENCE = "ticketing-api";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest page of the seat map the API answers. */
    private static final int SEAT_PAGE = 1000;

    /** An answer: status, raw body, and the body parsed when it is JSON. */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        /** The problem+json {@code code} of an error answer, or "" when there is none. */
        String code() {
            try {
                JsonNode code = JSON.readTree(body).get("code");
                return code == null ? "" : code.asText();
            } catch (IOException e) {
                return "";
            }
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String jwtSecret;
    private final PaymentWebhookSignature webhookSigner;
    private final String adminKey;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    ApiClient(URI base, String jwtSecret, String webhookSecret, String adminKey) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        this.base = base;
        this.jwtSecret = jwtSecret;
        this.webhookSigner = new PaymentWebhookSignature(webhookSecret, Clock.systemUTC());
        this.adminKey = adminKey;
    }

    /** The same caller, talking to another instance of the API (same secrets). */
    ApiClient at(URI otherBase) {
        return new ApiClient(otherBase, jwtSecret, webhookSigner, adminKey, http);
    }

    private ApiClient(URI base, String jwtSecret, PaymentWebhookSignature signer, String adminKey, HttpClient http) {
        this.http = http;
        this.base = base;
        this.jwtSecret = jwtSecret;
        this.webhookSigner = signer;
        this.adminKey = adminKey;
    }

    URI base() {
        return base;
    }

    /** A customer's bearer token (HS256, an hour long), made once per e-mail address. */
    String customerToken(String email) {
        return tokens.computeIfAbsent(email, e -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                        .subject(e).claim("email", e).issuer(ISSUER).audience(AUDIENCE)
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
                jwt.sign(new MACSigner(jwtSecret.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (JOSEException failure) {
                throw new IllegalStateException(failure);
            }
        });
    }

    // --- customers ---

    /** {@code POST /payment-sessions}: hold the seats; 201 with the checkout, or 409 seats-unavailable. */
    Reply checkout(String email, String eventId, List<String> seatIds, String idempotencyKey) {
        String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":" + jsonStrings(seatIds) + "}";
        return post("/payment-sessions", body, customer(email, idempotencyKey));
    }

    Reply cancelCheckout(String email, String sessionId, String idempotencyKey) {
        return post("/payment-sessions/" + sessionId + "/cancel", "", customer(email, idempotencyKey));
    }

    Reply cancelBooking(String email, String bookingId, String idempotencyKey) {
        return post("/bookings/" + bookingId + "/cancel", "", customer(email, idempotencyKey));
    }

    Reply getAsCustomer(String email, String path) {
        return get(path, Map.of("Authorization", "Bearer " + customerToken(email)));
    }

    // --- payment provider ---

    /** {@code POST /webhooks/payments}, signed now: {@code type} is processing, succeeded or failed. */
    Reply payment(String providerEventId, String type, String sessionId, String amount) {
        String body = """
                {"id":"%s","type":"%s","paymentSessionId":"%s","amount":"%s","currency":"EUR","providerReference":"pay_%s"}"""
                .formatted(providerEventId, type, sessionId, amount, providerEventId);
        String signature = webhookSigner.sign(body.getBytes(StandardCharsets.UTF_8), Instant.now());
        return post("/webhooks/payments", body, Map.of(PaymentWebhookSignature.HEADER, signature));
    }

    // --- admin ---

    /**
     * Creates an event starting in 30 days with {@code rows} × {@code seatsPerRow} seats in section A
     * at 50.00 EUR, publishes it, and returns its id.
     */
    String publishedEvent(String title, int rows, int seatsPerRow) {
        Instant startsAt = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Reply created = expect(201, post("/events", """
                {"title":"%s","description":"benchmark","venue":"Hall","startsAt":"%s","endsAt":"%s","currency":"EUR"}"""
                .formatted(title, startsAt, startsAt.plus(Duration.ofHours(3))), admin()));
        String eventId = created.json().get("id").asText();
        List<String> rowNames = java.util.stream.IntStream.rangeClosed(1, rows).mapToObj(String::valueOf).toList();
        // The API takes at most a few thousand seats a request: add them a block of rows at a time.
        int rowsPerRequest = Math.max(1, 2_000 / seatsPerRow);
        for (int from = 0; from < rowNames.size(); from += rowsPerRequest) {
            List<String> block = rowNames.subList(from, Math.min(rowNames.size(), from + rowsPerRequest));
            expect(201, post("/events/" + eventId + "/seats", """
                    {"blocks":[{"section":"A","rows":%s,"firstNumber":1,"lastNumber":%d,"price":50.00}]}"""
                    .formatted(jsonStrings(block), seatsPerRow), admin()));
        }
        expect(200, post("/events/" + eventId + "/publish", "", admin()));
        return eventId;
    }

    /**
     * The event's whole seat map ({@code GET /events/{id}/seats}) as a client reads it: page after page of the
     * largest size, following nextAfter, each seat to {@code seat}. The answer that ended it: the last page, or the
     * first that is not 200.
     */
    Reply seatMap(String eventId, Map<String, String> headers, Consumer<JsonNode> seat) {
        String after = null;
        while (true) {
            Reply page = get("/events/" + eventId + "/seats?limit=" + SEAT_PAGE + (after == null ? "" : "&after=" + after), headers);
            if (page.status() != 200) {
                return page;
            }
            JsonNode body = page.json();
            body.get("items").forEach(seat);
            JsonNode next = body.get("nextAfter");
            if (next == null || next.isNull()) {
                return page;
            }
            after = next.asText();
        }
    }

    // --- plain requests ---

    Reply get(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    Reply post(String path, String json, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    private Reply send(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        request.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Map<String, String> admin() {
        return Map.of("X-API-Key", adminKey);
    }

    private Map<String, String> customer(String email, String idempotencyKey) {
        String bearer = "Bearer " + customerToken(email);
        return idempotencyKey == null ? Map.of("Authorization", bearer)
                : Map.of("Authorization", bearer, "Idempotency-Key", idempotencyKey);
    }

    static Reply expect(int status, Reply reply) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply.status() + ": " + reply.body());
        }
        return reply;
    }

    private static String jsonStrings(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString();
    }
}
