package io.ticketing.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ticketing.api.web.PaymentWebhookSignature;
import io.ticketing.domain.model.PaymentSessionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Stand-ins for the outside world on a local run: an identity provider's customer token and a
 * payment provider's signed webhook, made with the secrets a local `serve` keeps beside its data.
 */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Development helpers for a local server: customer tokens and payment webhooks.",
        subcommands = {DevCommand.Token.class, DevCommand.Pay.class})
final class DevCommand {

    static final class Secrets {
        @Option(names = "--data-dir", defaultValue = "${env:TICKETING_DATA_DIR:-ticketing-data}", paramLabel = "DIR",
                description = "The local server's data directory, beside which its development secrets are kept (default: ${DEFAULT-VALUE}).")
        Path dataDirectory;
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Print a customer's bearer token (JWT) for the local server, valid one hour.")
    static final class Token implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        Secrets secrets;

        @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The customer's e-mail address.")
        String email;

        @Option(names = "--secret", defaultValue = "${env:TICKETING_JWT_SECRET}", paramLabel = "SECRET",
                description = "The server's JWT secret (env TICKETING_JWT_SECRET); by default the local server's.")
        String secret;

        @Override
        public Integer call() throws JOSEException {
            String key = secret == null || secret.isBlank()
                    ? DevSecrets.existing(secrets.dataDirectory, "jwt-secret", "TICKETING_JWT_SECRET") : secret;
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(email).claim("email", email).issuer("ticketing").audience("ticketing-api")
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            System.out.println(jwt.serialize());
            return 0;
        }
    }

    @Command(name = "pay", mixinStandardHelpOptions = true, description = "Send the local server a signed payment webhook for a checkout (or the refund of its payment), as the payment provider would.")
    static final class Pay implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        Secrets secrets;

        @Parameters(paramLabel = "PAYMENT_SESSION_ID", description = "The checkout to report on: its id, or the legacy app's id of a "
                + "checkout `legacy import` migrated (the one the provider knows it by).")
        String sessionId;

        @Option(names = "--result", defaultValue = "succeeded", paramLabel = "RESULT",
                description = "processing, succeeded, failed, or refunded for the refund of its payment (default: ${DEFAULT-VALUE}).")
        String result;

        @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "The amount paid, e.g. 150.00.")
        String amount;

        @Option(names = "--currency", defaultValue = "EUR", paramLabel = "CODE", description = "ISO 4217 (default: ${DEFAULT-VALUE}).")
        String currency;

        @Option(names = "--reference", paramLabel = "REF", description = "The provider's reference of the payment (of the refund, "
                + "for refunded). By default a new one, or none for failed: the failure of the checkout's own payment, whichever "
                + "reference it recorded.")
        String reference;

        @Option(names = "--url", defaultValue = "${env:TICKETING_URL:-http://127.0.0.1:7070}", paramLabel = "URL",
                description = "The server (default: ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--secret", defaultValue = "${env:TICKETING_WEBHOOK_SECRET}", paramLabel = "SECRET",
                description = "The webhook secret (env TICKETING_WEBHOOK_SECRET); by default the local server's.")
        String secret;

        @Override
        public Integer call() throws InterruptedException, JsonProcessingException {
            // The ids the webhook takes: any other it would refuse as invalid-id.
            if (PaymentSessionId.knownAs(sessionId).isEmpty()) {
                throw new CliException("PAYMENT_SESSION_ID must be a checkout's id or a migrated checkout's legacy id: 1 to "
                        + PaymentSessionId.MAX_NAME_LENGTH + " characters, none of them a space, a control or another invisible "
                        + "character", CliException.USAGE, null);
            }
            String key = secret == null || secret.isBlank()
                    ? DevSecrets.existing(secrets.dataDirectory, "webhook-secret", "TICKETING_WEBHOOK_SECRET") : secret;
            String eventId = "evt_" + UUID.randomUUID();
            ObjectMapper json = new ObjectMapper();
            // The id as given, escaped: a legacy id may hold a quote or a backslash.
            var report = json.createObjectNode().put("id", eventId).put("type", result.toLowerCase(Locale.ROOT))
                    .put("paymentSessionId", sessionId).put("amount", amount).put("currency", currency);
            // A failure under a reference of its own would be of another attempt, and fail no payment under way.
            String providerReference = reference != null ? reference : result.equalsIgnoreCase("failed") ? null : "pay_" + eventId;
            if (providerReference != null) {
                report.put("providerReference", providerReference);
            }
            byte[] bytes = json.writeValueAsBytes(report);
            String signature = new PaymentWebhookSignature(key, Clock.systemUTC()).sign(bytes, Instant.now());
            HttpRequest request = HttpRequest.newBuilder(url.resolve("/webhooks/payments"))
                    .header("Content-Type", "application/json")
                    .header(PaymentWebhookSignature.HEADER, signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                System.out.println(response.body());
                return response.statusCode() == 200 ? 0 : 1;
            } catch (ConnectException e) {
                throw new CliException("no server answers at " + url + ": start one with './ticketing serve' (or give --url)", e);
            } catch (IOException e) {
                throw new CliException("cannot reach " + url + ": " + e.getMessage(), e);
            }
        }
    }
}
