package io.ticketing.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ticketing.api.web.PaymentWebhookSignature;
import io.ticketing.api.web.auth.ApiKeys;
import io.ticketing.api.web.auth.JwtVerifier;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.out.RefundPaymentPort;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.ApiKeyRepository;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.StreamingReplica;
import io.ticketing.testsupport.TestPostgres;

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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The real application on a fresh migrated database, served over real HTTP on a free port, with
 * what a test needs to call it as each kind of caller: an admin and a staff API key, customer
 * tokens, and signed payment webhooks.
 */
public final class TestApplication implements AutoCloseable {

    public static final String JWT_SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    public static final String WEBHOOK_SECRET = "whsec-test";
    public static final String ISSUER = "ticketing";
    public static final String AUDIENCE = "ticketing-api";
    /** Connections of each instance's pool; a request waits 5 s for one. */
    public static final int POOL_SIZE = 8;

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final TestDatabase database;
    private final ConnectionPool pool;
    private final Optional<Application.ReadReplica> readReplica;
    private final Application application;
    private final HttpClient http = HttpClient.newHttpClient();
    public final String adminKey;
    public final String staffKey;

    private TestApplication(TestDatabase database, ConnectionPool pool, Optional<Application.ReadReplica> readReplica,
                            Application application, String adminKey, String staffKey) {
        this.database = database;
        this.pool = pool;
        this.readReplica = readReplica;
        this.application = application;
        this.adminKey = adminKey;
        this.staffKey = staffKey;
    }

    public static TestDatabase migratedDatabase() {
        return TestPostgres.freshDatabase("ticketing-schema", d -> new SchemaMigrator(d.dataSource()).migrate());
    }

    public static TestApplication start() {
        return startOn(migratedDatabase());
    }

    /** Another instance on the same database, as a second API server would be. */
    public static TestApplication startOn(TestDatabase database) {
        return startOn(database, Optional.empty());
    }

    /** An instance whose refund worker sends refunds to {@code refundProvider}. */
    public static TestApplication startWithRefundsTo(RefundPaymentPort refundProvider) {
        return startOn(migratedDatabase(), refundProvider);
    }

    /** An instance on {@code database} whose refund worker sends refunds to {@code refundProvider}. */
    public static TestApplication startOn(TestDatabase database, RefundPaymentPort refundProvider) {
        return startOn(database, Optional.of(refundProvider));
    }

    /** A new migrated database on {@code servers}' primary, replayed by its replica. */
    public static TestDatabase migratedDatabaseOn(StreamingReplica servers, String name) {
        servers.createDatabase(name);
        TestDatabase database = new TestDatabase(name, servers.primaryUrl(name), servers.user(), servers.password());
        new SchemaMigrator(database.dataSource()).migrate();
        servers.awaitReplayed();
        return database;
    }

    /** An instance on {@code database} (on {@code servers}' primary) whose reads that may lag go to the replica. */
    public static TestApplication startWithReadReplica(TestDatabase database, StreamingReplica servers, Duration maxLag) {
        return startOn(database, Optional.empty(), Optional.of(Application.ReadReplica.open(servers.replicaUrl(database.name()),
                servers.user(), servers.password(), maxLag, false)));
    }

    private static TestApplication startOn(TestDatabase database, Optional<RefundPaymentPort> refundProvider) {
        return startOn(database, refundProvider, Optional.empty());
    }

    private static TestApplication startOn(TestDatabase database, Optional<RefundPaymentPort> refundProvider,
                                           Optional<Application.ReadReplica> readReplica) {
        ConnectionPool pool = ConnectionPool.open(database.jdbcUrl(), database.user(), database.password(), POOL_SIZE, Duration.ofSeconds(5),
                TestPostgres.throughPooler());
        ApiKeyRepository keys = new ApiKeyRepository(new Sessions(pool.dataSource()));
        String admin = ApiKeys.generate();
        String staff = ApiKeys.generate();
        keys.create("test-admin", "ADMIN", ApiKeys.hash(admin));
        keys.create("test-door", "STAFF", ApiKeys.hash(staff));
        Application application;
        try {
            application = Application.start(pool, readReplica, new Application.Settings("127.0.0.1", 0,
                    Optional.of(JwtVerifier.hmac(JWT_SECRET, ISSUER, AUDIENCE)), WEBHOOK_SECRET, Duration.ofMillis(200), Duration.ofSeconds(1),
                    CheckoutLimits.defaults().expiry(), false, refundProvider));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new TestApplication(database, pool, readReplica, application, admin, staff);
    }

    /**
     * The command line's options for {@code database}, as an operator gives them: through the pooler, when the tests
     * run through one, with {@code --db-pooled} and the direct URL for the work that keeps session state.
     */
    public static List<String> commandLineOptions(TestDatabase database) {
        List<String> options = new ArrayList<>(List.of("--db-url", database.jdbcUrl(), "--db-user", database.user(),
                "--db-password", database.password()));
        if (TestPostgres.throughPooler()) {
            options.addAll(List.of("--db-pooled", "--db-direct-url", TestPostgres.direct(database).jdbcUrl()));
        }
        return options;
    }

    /** Runs the command line as {@code ticketing ARGS…} would, in this JVM; returns its exit code. */
    public static int command(String... args) {
        return Main.run(args);
    }

    public TestDatabase database() {
        return database;
    }

    public static String customerToken(String email) {
        return token(email, ISSUER, AUDIENCE, Instant.now().plusSeconds(600), JWT_SECRET);
    }

    public static String token(String email, String issuer, String audience, Instant expires, String secret) {
        return token(email, email, issuer, audience, expires, secret);
    }

    /** A valid token of this application's issuer whose {@code sub} and {@code email} claims differ ({@code email} null: none). */
    public static String token(String subject, String email) {
        return token(subject, email, ISSUER, AUDIENCE, Instant.now().plusSeconds(300), JWT_SECRET);
    }

    private static String token(String subject, String email, String issuer, String audience, Instant expires, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(subject).claim("email", email).issuer(issuer).audience(audience)
                    .expirationTime(Date.from(expires)).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed with this application's secret whose claims are {@code claimsJson} as written (numbers no Date holds). */
    public static String signedClaims(String claimsJson) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(claimsJson));
            jws.sign(new MACSigner(JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public Caller anonymous() {
        return new Caller(Map.of());
    }

    public Caller admin() {
        return new Caller(Map.of("X-API-Key", adminKey));
    }

    public Caller staff() {
        return new Caller(Map.of("X-API-Key", staffKey));
    }

    public Caller customer(String email) {
        return new Caller(Map.of("Authorization", "Bearer " + customerToken(email)));
    }

    /** Sends a payment webhook signed now with the right secret. */
    public Response webhook(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = new PaymentWebhookSignature(WEBHOOK_SECRET, Clock.systemUTC()).sign(bytes, Instant.now());
        return anonymous().with(PaymentWebhookSignature.HEADER, signature).post("/webhooks/payments", body);
    }

    public Response rawWebhook(String body, String signatureHeader) {
        Caller caller = signatureHeader == null ? anonymous() : anonymous().with(PaymentWebhookSignature.HEADER, signatureHeader);
        return caller.post("/webhooks/payments", body);
    }

    /** Waits until some query of this database waits on a lock, e.g. a request held up by a test. */
    public void awaitAQueryWaitingOnALock() throws Exception {
        for (int i = 0; i < 100; i++) {
            try (var connection = database.connect(); var statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                         + "AND datname = current_database()")) {
                result.next();
                if (result.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no query waited on a lock within 5 s");
    }

    /** The server's worker runs an event cancellation's batches; its progress says when it is done. */
    public JsonNode awaitCancellationDone(String eventId) {
        for (int i = 0; i < 200; i++) {
            Response progress = admin().get("/events/" + eventId + "/cancellation");
            if (progress.status() != 200) {
                throw new AssertionError("GET /events/" + eventId + "/cancellation: " + progress);
            }
            if (progress.json().get("state").asText().equals("DONE")) {
                return progress.json();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the cancellation of event " + eventId + " did not finish in 20 seconds: "
                + admin().get("/events/" + eventId + "/cancellation"));
    }

    public int port() {
        return application.port();
    }

    @Override
    public void close() {
        application.close();
        readReplica.ifPresent(Application.ReadReplica::close);
        pool.close();
    }

    /** Holds an answer to the served OpenAPI document: its route and status documented, its body as the schema says. */
    public static void assertDocumented(HttpRequest request, Response response) {
        OpenApiContract.check(request.method(), request.uri(), response.status(), response.contentType(), response.body());
    }

    /** The same for an answer read off a socket as it came ({@code rawAnswer}: status line, headers, body), to {@code method path}. */
    public static void assertDocumented(String method, String path, String rawAnswer) {
        String[] headAndBody = rawAnswer.split("\r\n\r\n", 2);
        String[] head = headAndBody[0].split("\r\n");
        String contentType = java.util.Arrays.stream(head).skip(1).filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                .map(line -> line.substring("content-type:".length()).strip()).findFirst().orElse("");
        OpenApiContract.check(method, URI.create(path), Integer.parseInt(head[0].split(" ")[1]), contentType,
                headAndBody.length > 1 ? headAndBody[1] : "");
    }

    public final class Caller {
        private final Map<String, String> headers;

        Caller(Map<String, String> headers) {
            this.headers = headers;
        }

        public Caller with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Caller(more);
        }

        public Response get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        public Response post(String path, String json) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        public Response put(String path, String json) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        public Response delete(String path) {
            return send(HttpRequest.newBuilder(uri(path)).DELETE());
        }

        public Response send(HttpRequest.Builder request) {
            headers.forEach(request::header);
            HttpRequest built = request.build();
            Response response = exchange(built);
            assertDocumented(built, response);
            return response;
        }

        /** Sends without holding the answer to the document: for a caller that looks at it first (then calls {@link #assertDocumented}). */
        public Response sendUnchecked(HttpRequest.Builder request) {
            headers.forEach(request::header);
            return exchange(request.build());
        }

        private Response exchange(HttpRequest built) {
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                String contentType = response.headers().firstValue("Content-Type").orElse("");
                return new Response(response.statusCode(), contentType, response.headers().map(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + application.port() + path);
        }
    }

    public record Response(int status, String contentType, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
