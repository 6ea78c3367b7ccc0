package io.ticketing.api.web;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HealthEndpointsTest {

    private final AtomicReference<ReadinessCheck.Readiness> readiness =
            new AtomicReference<>(ReadinessCheck.Readiness.ok());
    private final AtomicReference<String> closedBecause = new AtomicReference<>();
    // The web layer alone: in-memory ports stand in for the database this test does not need.
    private final Javalin app = ApiApplication.create(new ApiDependencies(
            InMemoryUseCases.create(Clock.systemUTC()),
            () -> Optional.ofNullable(closedBecause.get()),
            readiness::get,
            Optional.empty(),
            new PaymentWebhookSignature("unused", Clock.systemUTC()),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))).start("127.0.0.1", 0);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void health_answers_while_the_process_is_up_even_when_not_ready() throws Exception {
        readiness.set(ReadinessCheck.Readiness.notReady("database not reachable"));

        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void ready_follows_the_readiness_check() throws Exception {
        assertThat(get("/ready").statusCode()).isEqualTo(200);

        readiness.set(ReadinessCheck.Readiness.notReady("schema migrations pending or invalid"));
        HttpResponse<String> notReady = get("/ready");

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("schema migrations pending");
    }

    @Test
    void ready_says_how_the_read_replica_is_doing_and_stays_ready_while_it_is_down() throws Exception {
        assertThat(get("/ready").body()).doesNotContain("replica");

        readiness.set(ReadinessCheck.Readiness.ok().withReplica(
                new ReadinessCheck.ReplicaReadiness("down", null, 5.0, "replica not reachable: Connection refused")));
        HttpResponse<String> ready = get("/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"READY\"")
                .contains("\"replica\":{\"state\":\"down\",\"lagSeconds\":null,\"maxLagSeconds\":5.0,"
                        + "\"detail\":\"replica not reachable: Connection refused\"}");
    }

    @Test
    void while_it_may_not_serve_every_route_of_the_database_answers_503_and_health_and_the_documents_still_answer() throws Exception {
        closedBecause.set("a legacy import or rollback is running on this database");

        HttpResponse<String> events = get("/events");
        assertThat(events.statusCode()).isEqualTo(503);
        assertThat(events.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(events.body()).contains("\"code\":\"not-serving\"").contains("a legacy import or rollback is running");
        assertThat(get("/admin/events").statusCode()).as("refused before asking for credentials").isEqualTo(503);
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"NOT_READY\"").contains("a legacy import or rollback is running");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
        assertThat(get("/openapi.json").statusCode()).isEqualTo(200);

        closedBecause.set(null);
        assertThat(get("/events").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void an_unknown_path_is_a_problem_json_404() throws Exception {
        HttpResponse<String> response = get("/no/such/thing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"not-found\"").contains("\"status\":404");
    }

    @Test
    void the_api_document_and_its_browsable_ui_are_served_to_anyone() throws Exception {
        HttpResponse<String> document = get("/openapi.yaml");
        assertThat(document.body()).startsWith("openapi: 3.0");
        assertThat(document.headers().firstValue("Content-Type")).hasValue("application/yaml; charset=utf-8");
        assertThat(get("/docs").body()).contains("swagger-ui-bundle.js");
        HttpResponse<String> script = get("/docs/assets/swagger-ui-bundle.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("SwaggerUIBundle");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
