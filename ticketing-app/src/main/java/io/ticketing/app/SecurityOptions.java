package io.ticketing.app;

import io.ticketing.api.web.auth.JwtVerifier;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/** How the API authenticates its callers and its payment provider. */
final class SecurityOptions {

    @Option(names = "--jwt-secret", defaultValue = "${env:TICKETING_JWT_SECRET}", paramLabel = "SECRET",
            description = "Shared secret (32+ bytes) of customers' HS256 bearer tokens (env TICKETING_JWT_SECRET).")
    String jwtSecret;

    @Option(names = "--jwt-public-key", defaultValue = "${env:TICKETING_JWT_PUBLIC_KEY}", paramLabel = "PEM_FILE",
            description = "RSA public key (PEM file) of customers' RS256 bearer tokens, instead of a secret (env TICKETING_JWT_PUBLIC_KEY).")
    Path jwtPublicKey;

    @Option(names = "--jwt-issuer", defaultValue = "${env:TICKETING_JWT_ISSUER:-ticketing}", paramLabel = "ISS",
            description = "Required 'iss' of customers' tokens (env TICKETING_JWT_ISSUER, default: ${DEFAULT-VALUE}).")
    String jwtIssuer;

    @Option(names = "--jwt-audience", defaultValue = "${env:TICKETING_JWT_AUDIENCE:-ticketing-api}", paramLabel = "AUD",
            description = "Required 'aud' of customers' tokens (env TICKETING_JWT_AUDIENCE, default: ${DEFAULT-VALUE}).")
    String jwtAudience;

    @Option(names = "--admin-api-key", defaultValue = "${env:TICKETING_ADMIN_API_KEY}", paramLabel = "KEY",
            description = "An ADMIN API key to accept from the start, e.g. for automation (env TICKETING_ADMIN_API_KEY); "
                    + "stored hashed. Otherwise create keys with 'ticketing admin create-key'.")
    String adminApiKey;

    @Option(names = "--webhook-secret", defaultValue = "${env:TICKETING_WEBHOOK_SECRET}", paramLabel = "SECRET",
            description = "Secret the payment provider signs its webhooks with (env TICKETING_WEBHOOK_SECRET).")
    String webhookSecret;

    /**
     * On the embedded database (a local run), missing secrets are made once and kept beside the data;
     * on a real database they must be configured.
     */
    void useDevelopmentSecretsIfEmbedded(DatabaseOptions database) {
        boolean noJwtKey = (jwtSecret == null || jwtSecret.isBlank()) && jwtPublicKey == null;
        boolean noWebhookSecret = webhookSecret == null || webhookSecret.isBlank();
        if (database.embedded()) {
            if (noJwtKey) {
                jwtSecret = DevSecrets.load(database.dataDirectory, "jwt-secret");
            }
            if (noWebhookSecret) {
                webhookSecret = DevSecrets.load(database.dataDirectory, "webhook-secret");
            }
        } else if (noWebhookSecret) {
            throw new CliException("no webhook secret: set TICKETING_WEBHOOK_SECRET (or --webhook-secret) to the secret "
                    + "your payment provider signs its webhooks with", CliException.USAGE, null);
        }
    }

    /** The verifier of customers' tokens; none when neither a secret nor a public key is configured. */
    Optional<JwtVerifier> jwtVerifier() {
        if (jwtSecret != null && !jwtSecret.isBlank() && jwtPublicKey != null) {
            throw new CliException("give either --jwt-secret or --jwt-public-key, not both", CliException.USAGE, null);
        }
        try {
            if (jwtSecret != null && !jwtSecret.isBlank()) {
                return Optional.of(JwtVerifier.hmac(jwtSecret, jwtIssuer, jwtAudience));
            }
            if (jwtPublicKey != null) {
                return Optional.of(JwtVerifier.rsa(readRsaPublicKey(jwtPublicKey), jwtIssuer, jwtAudience));
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliException.USAGE, e);
        }
    }

    private static RSAPublicKey readRsaPublicKey(Path pem) {
        try {
            String base64 = Files.readString(pem)
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            // A file system error's message is the path alone: say what went wrong with it instead.
            String why = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException fileSystem && fileSystem.getReason() != null ? fileSystem.getReason()
                    : e.getMessage();
            throw new CliException("cannot read an RSA public key (PEM, 'BEGIN PUBLIC KEY') from " + pem + ": " + why,
                    CliException.USAGE, e);
        }
    }
}
