package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile client found: tokens whose required claims are JSON nulls, limits counted in UTF-16 units,
 * bodies cut short, badly chunked or that stop arriving, and the request metrics' route label. Each refusal is a 4xx
 * problem+json with its code, and changes nothing.
 */
class HostileRequestsTest {

    @AutoClose
    private static final TestApplication api = TestApplication.start();

    @Test
    void a_token_whose_sub_or_exp_is_null_or_blank_is_401_on_every_route_probes_included() {
        long later = Instant.now().plusSeconds(600).getEpochSecond();
        String audience = "\"iss\":\"" + TestApplication.ISSUER + "\",\"aud\":\"" + TestApplication.AUDIENCE + "\"";
        for (String claims : List.of(
                "{\"sub\":null,\"email\":\"eve@example.com\"," + audience + ",\"exp\":" + later + "}",
                "{\"sub\":null,\"email\":null," + audience + ",\"exp\":" + later + "}",
                "{\"sub\":\"  \",\"email\":\"eve@example.com\"," + audience + ",\"exp\":" + later + "}",
                // Without the fix a token that never expires: the library skipped its exp check for a null.
                "{\"sub\":\"eve@example.com\",\"email\":\"eve@example.com\"," + audience + ",\"exp\":null,\"iat\":1000000000}")) {
            var caller = api.anonymous().with("Authorization", "Bearer " + TestApplication.signedClaims(claims));
            for (String route : List.of("/health", "/ready", "/events", "/bookings")) {
                Response refused = caller.get(route);
                assertThat(refused.status()).as(claims + " on " + route + ": " + refused).isEqualTo(401);
                assertThat(refused.json().get("code").asText()).isEqualTo("invalid-token");
            }
        }
    }

    @Test
    void limits_count_characters_as_the_database_does_an_emoji_is_one() {
        String emoji = "\uD83D\uDE00";
        // 130 emoji and an address: 142 characters, within the 254 of a claim, 272 UTF-16 units.
        String email = emoji.repeat(130) + "@example.com";
        Response signedIn = api.anonymous().with("Authorization", "Bearer " + TestApplication.token(email, email)).get("/bookings");
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        String tooLong = emoji.repeat(250) + "@example.com";
        Response refused = api.anonymous().with("Authorization", "Bearer " + TestApplication.token(tooLong, tooLong)).get("/bookings");
        assertThat(refused.status()).isEqualTo(401);

        // A provider event id of 200 emoji is within 255 characters: the webhook is read, and the unknown checkout is 404.
        Response unknownCheckout = api.webhook(paymentEvent(emoji.repeat(200), "failed", UUID.randomUUID().toString(), "10.00"));
        assertThat(unknownCheckout.status()).as(unknownCheckout.toString()).isEqualTo(404);
        Response longId = api.webhook(paymentEvent(emoji.repeat(256), "failed", UUID.randomUUID().toString(), "10.00"));
        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.json().get("code").asText()).isEqualTo("invalid-value");
        assertThat(longId.json().get("detail").asText()).contains("id is longer than 255 characters");
    }

    @Test
    void a_body_cut_short_or_badly_chunked_is_400_bad_request_and_creates_nothing() throws IOException {
        int eventsBefore = api.admin().get("/admin/events").json().get("items").size();
        String json = "{\"title\":\"Cut short\"}";
        List<String> broken = List.of(
                "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + json + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n" + json + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n\r\n5;\u0001\r\nhello\r\n0\r\n\r\n",
                "Content-Length: 100\r\n\r\n" + json);
        for (String rest : broken) {
            String answer = exchange("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + api.adminKey
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\n" + rest);
            assertThat(answer).as(rest).startsWith("HTTP/1.1 400");
            assertThat(answer).as(rest).containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"code\":\"bad-request\"");
        }
        assertThat(api.admin().get("/admin/events").json().get("items").size()).isEqualTo(eventsBefore);
    }

    @Test
    void a_body_that_stops_arriving_is_408_request_timeout_after_the_idle_timeout_and_creates_nothing() throws IOException {
        int eventsBefore = api.admin().get("/admin/events").json().get("items").size();
        String answer;
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(90_000); // the server's idle timeout is 60 s (measured: the 408 comes after 60.0 s)
            socket.getOutputStream().write(("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + api.adminKey
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":\"Slow")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            // The rest never comes, and the connection stays open: the server gives up on the body, not the client.
            answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(answer).containsIgnoringCase("content-type: application/problem+json").contains("\"code\":\"request-timeout\"");
        TestApplication.assertDocumented("POST", "/events", answer);
        assertThat(api.admin().get("/admin/events").json().get("items").size()).isEqualTo(eventsBefore);
    }

    @Test
    void request_metrics_are_labelled_with_the_route_template_that_answered() {
        String eventId = UUID.randomUUID().toString();
        assertThat(api.anonymous().get("/events/" + eventId).status()).isEqualTo(404);
        assertThat(api.anonymous().get("/events").status()).isEqualTo(200);

        String metrics = api.anonymous().get("/metrics").body();
        assertThat(metrics).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/events/{eventId}\",status=\"404\"}")
                .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/events\",status=\"200\"}")
                .doesNotContain("route=\"*\"");
    }

    /** Writes {@code request} as it is and, the client's side closed, reads the whole answer. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
