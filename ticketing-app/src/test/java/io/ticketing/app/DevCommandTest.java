package io.ticketing.app;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `dev token` and `dev pay` sign with the server's secret: given, or the one a local embedded server keeps. */
class DevCommandTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @TempDir
    Path folder;

    @BeforeEach
    void noSecretInTheEnvironment() {
        assumeTrue(System.getenv("TICKETING_JWT_SECRET") == null && System.getenv("TICKETING_WEBHOOK_SECRET") == null,
                "the secrets' environment variables are set");
    }

    @Test
    void without_a_secret_and_without_a_local_servers_one_token_and_pay_refuse_in_one_line_and_make_none() throws Exception {
        String data = folder.resolve("ticketing-data").toString(); // a server on an external database keeps nothing there

        assertThat(Main.run("dev", "token", "--email", "ann@example.com", "--data-dir", data)).isEqualTo(2);
        assertThat(console.out()).as("no token").isEmpty();
        assertThat(console.err().strip().lines()).singleElement().asString()
                .contains("--secret").contains("TICKETING_JWT_SECRET");

        console.reset();
        assertThat(Main.run("dev", "pay", UUID.randomUUID().toString(), "--amount", "70.00", "--data-dir", data,
                "--url", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(console.out()).isEmpty();
        assertThat(console.err().strip().lines()).singleElement().asString()
                .contains("--secret").contains("TICKETING_WEBHOOK_SECRET");

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).as("no secret file made").isEmpty();
        }
    }

    @Test
    void pay_refuses_an_id_the_webhook_would_refuse_in_one_line_and_sends_nothing() {
        for (String id : new String[]{"", " \t", "c64b\u0000", "x".repeat(256)}) {
            console.reset();
            // Nothing listens at that address: a webhook sent would fail otherwise (exit 1).
            assertThat(Main.run("dev", "pay", id, "--amount", "70.00", "--secret", "whsec-test", "--url", "http://127.0.0.1:1"))
                    .as(id).isEqualTo(2);
            assertThat(console.out()).isEmpty();
            assertThat(console.err().strip().lines()).singleElement().asString()
                    .startsWith("ticketing: PAYMENT_SESSION_ID must be a checkout's id or a migrated checkout's legacy id: 1 to 255 ");
        }
    }

    @Test
    void the_secret_a_local_server_keeps_beside_its_data_signs_the_token() throws Exception {
        Path data = folder.resolve("ticketing-data");
        String secret = DevSecrets.load(data, "jwt-secret"); // as `serve` on the embedded database keeps it

        assertThat(Main.run("dev", "token", "--email", "ann@example.com", "--data-dir", data.toString())).isZero();

        SignedJWT token = SignedJWT.parse(console.out().strip());
        assertThat(token.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(token.getJWTClaimsSet().getStringClaim("email")).isEqualTo("ann@example.com");
    }
}
