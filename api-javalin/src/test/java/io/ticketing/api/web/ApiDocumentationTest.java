package io.ticketing.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ApiDocumentationTest {

    private final Javalin app = ApiApplication.create(new ApiDependencies(
            InMemoryUseCases.create(Clock.systemUTC()),
            ServingGate.alwaysOpen(),
            ReadinessCheck.Readiness::ok,
            Optional.empty(),
            new PaymentWebhookSignature("unused", Clock.systemUTC()),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))).start("127.0.0.1", 0);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void the_json_document_is_the_yaml_document_as_another_yaml_parser_reads_it() throws Exception {
        HttpResponse<String> yaml = get("/openapi.yaml");
        HttpResponse<String> json = get("/openapi.json");

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode served = new ObjectMapper().readTree(json.body());
        // SnakeYAML, unlike Jackson's YAML reader, resolves aliases and reads date-like strings as dates: without the
        // latter, what it reads is what the document means, so the two trees must be the same.
        JsonNode meant = new ObjectMapper().valueToTree(new Yaml(new SafeConstructor(new LoaderOptions()),
                new Representer(new DumperOptions()), new DumperOptions(), new LoaderOptions(), new NoTimestamps()).load(yaml.body()));
        assertThat(served).isEqualTo(meant);
        assertThat(served.at("/paths/~1events~1{eventId}~1publish/post/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Event");
    }

    /** YAML 1.1's implicit types, except timestamps: an example date stays the string it is in JSON. */
    private static final class NoTimestamps extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            return Tag.TIMESTAMP.equals(tag) ? Tag.STR : tag;
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
