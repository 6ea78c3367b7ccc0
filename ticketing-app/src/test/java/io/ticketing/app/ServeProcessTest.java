package io.ticketing.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ticketing serve} as a user runs it: a separate process on an embedded PostgreSQL, stopped
 * by SIGTERM, started again on the same data.
 */
class ServeProcessTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path workDirectory;

    @Test
    void serves_health_and_readiness_stops_on_sigterm_and_reuses_its_data_on_the_next_start() throws Exception {
        Path data = workDirectory.resolve("data");

        Path firstLog = workDirectory.resolve("first.log");
        int port = freePort();
        Process first = serve(data, port, firstLog);
        awaitReady(port, first, firstLog);
        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
        stop(first);
        assertThat(Files.readString(firstLog)).contains("schema ticketing: applied migrations 1")
                .as("SIGTERM: the instance unregisters before the embedded server stops (else an import waits for its lease)")
                .contains("stopping: finishing requests in flight")
                .doesNotContain("could not unregister");

        Path secondLog = workDirectory.resolve("second.log");
        int secondPort = freePort();
        Process second = serve(data, secondPort, secondLog);
        awaitReady(secondPort, second, secondLog);
        stop(second);

        assertThat(Files.readString(secondLog))
                .as("the second start finds the schema already migrated in the same data directory")
                .contains("schema ticketing is up to date")
                .contains("data in " + data);
    }

    @Test
    void a_port_in_use_is_a_one_line_error() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path log = workDirectory.resolve("taken.log");
            Process process = serve(workDirectory.resolve("data"), taken.getLocalPort(), log);

            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(Files.readString(log)).contains("ticketing: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\tat ");
        }
    }

    private Process serve(Path data, int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", String.valueOf(port), "--data-dir", data.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private void awaitReady(int port, Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("serve exited early:%n%s", Files.readString(log)).isTrue();
            try {
                if (get(port, "/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within 90 s:\n" + Files.readString(log));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
