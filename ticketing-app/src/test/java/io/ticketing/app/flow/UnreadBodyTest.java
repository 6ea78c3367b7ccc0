package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client still sending a body that no handler reads (refused before it is read, or sent with a GET) gets
 * its whole answer, not a reset connection or a truncated one. The body is sent in slices with pauses, as a
 * slow network would, so that it is still arriving when the answer is ready.
 */
class UnreadBodyTest {

    private static final String OVERSIZED = "{\"title\":\"" + "x".repeat(70_000) + "\"}";
    private static TestApplication api;

    @BeforeAll
    static void start() {
        api = TestApplication.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void a_large_answer_to_a_get_that_carried_a_body_arrives_whole() {
        String document = api.anonymous().get("/openapi.yaml").body();

        for (int i = 0; i < 3; i++) {
            Response answer = api.anonymous().send(slowly("GET", "/openapi.yaml", OVERSIZED));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(document);
        }
    }

    @Test
    void an_oversized_body_refused_before_it_is_read_gets_its_problem() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.anonymous().send(slowly("POST", "/events", OVERSIZED)).status()).isEqualTo(401);
            assertThat(api.admin().send(slowly("POST", "/events", OVERSIZED)).status()).isEqualTo(413);
            assertThat(api.admin().send(slowly("POST", "/events", OVERSIZED)).contentType()).startsWith("application/problem+json");
        }
    }

    private static HttpRequest.Builder slowly(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Content-Type", "application/json")
                .method(method, inSlices(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The body in 8 KiB slices, 30 ms apart. */
    private static HttpRequest.BodyPublisher inSlices(byte[] body) {
        return HttpRequest.BodyPublishers.fromPublisher(subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private boolean started;

            @Override
            public synchronized void request(long n) {
                if (started) {
                    return;
                }
                started = true;
                Thread sender = new Thread(() -> {
                    try {
                        for (int sent = 0; sent < body.length; sent += 8192) {
                            subscriber.onNext(ByteBuffer.wrap(body, sent, Math.min(8192, body.length - sent)));
                            Thread.sleep(30);
                        }
                        subscriber.onComplete();
                    } catch (InterruptedException e) {
                        subscriber.onError(e);
                    }
                });
                sender.setDaemon(true);
                sender.start();
            }

            @Override
            public void cancel() {
            }
        }), body.length);
    }
}
