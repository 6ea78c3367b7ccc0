package io.ticketing.api.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.staticfiles.Location;
import io.ticketing.api.web.auth.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;

/**
 * The OpenAPI document at {@code /openapi.yaml}, the same tree as JSON at {@code /openapi.json}, and a browsable
 * Swagger UI of it at {@code /docs}.
 */
final class ApiDocumentation {

    static final String DOCUMENT = "/api/openapi.yaml";
    private static final String ASSETS = "/docs/assets";

    private final String document = read(DOCUMENT);
    private final String json = asJson(document);
    private final String swaggerUiVersion = buildProperty("swagger-ui.version");

    void register(JavalinConfig config, JavalinDefaultRoutingApi routes) {
        config.staticFiles.add(files -> {
            files.hostedPath = ASSETS;
            files.directory = "/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion;
            files.location = Location.CLASSPATH;
            files.roles = Set.of(Role.ANONYMOUS); // the Swagger UI's own scripts and styles
        });
        // The document is UTF-8 and not all ASCII ("×"): say so, for clients that would guess another charset.
        routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml; charset=utf-8").result(document), Role.ANONYMOUS);
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(json), Role.ANONYMOUS);
        routes.get("/docs", ctx -> ctx.html(page()), Role.ANONYMOUS);
    }

    /** The document as JSON. */
    String json() {
        return json;
    }

    private static String page() {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>ticketing API</title>
                  <link rel="stylesheet" href="%1$s/swagger-ui.css">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="%1$s/swagger-ui-bundle.js"></script>
                  <script>SwaggerUIBundle({url: "/openapi.yaml", dom_id: "#swagger-ui"});</script>
                </body>
                </html>
                """.formatted(ASSETS);
    }

    /**
     * The document as JSON, converted once at start. Jackson's YAML reader keeps strings that look like dates as
     * strings, and with big decimals 99999999.99 stays 99999999.99; it does not resolve YAML aliases, so the
     * document has none (a test compares this tree with the YAML's as another parser reads it).
     */
    static String asJson(String yaml) {
        try {
            JsonNode tree = YAMLMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build().readTree(yaml);
            return new ObjectMapper().writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(DOCUMENT + " is not valid YAML", e);
        }
    }

    static String read(String resource) {
        try (InputStream in = ApiDocumentation.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the application's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String buildProperty(String name) {
        Properties properties = new Properties();
        try (InputStream in = ApiDocumentation.class.getResourceAsStream("/ticketing-build.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("ticketing-build.properties is missing from the application's jar", e);
        }
        return properties.getProperty(name);
    }
}
