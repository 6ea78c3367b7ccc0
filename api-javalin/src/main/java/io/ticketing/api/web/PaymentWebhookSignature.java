package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The payment provider signs each webhook: header {@value #HEADER} = {@code t=<unix seconds>,v1=<hex>}
 * where the hex is HMAC-SHA256 over {@code "<t>.<raw body>"} with the shared secret. A signature is
 * accepted only if it matches (compared in constant time) and {@code t} is within the tolerance of
 * now, so that a captured request cannot be replayed later.
 */
public final class PaymentWebhookSignature {

    public static final String HEADER = "Ticketing-Signature";
    public static final Duration TOLERANCE = Duration.ofSeconds(300);

    private final byte[] secret;
    private final Clock clock;

    public PaymentWebhookSignature(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** The header value for this body at this time; what the provider (or {@code ticketing dev pay}) sends. */
    public String sign(byte[] body, Instant at) {
        long timestamp = at.getEpochSecond();
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac(timestamp, body));
    }

    /** Throws {@link ApiException} (401) unless the header is a valid, fresh signature of the body. */
    public void verify(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw refused("missing-signature", "The " + HEADER + " header is missing.");
        }
        Long timestamp = null;
        byte[] signature = null;
        for (String part : header.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length != 2) {
                continue;
            }
            try {
                if (pair[0].equals("t")) {
                    timestamp = Long.parseLong(pair[1]);
                } else if (pair[0].equals("v1")) {
                    signature = HexFormat.of().parseHex(pair[1]);
                }
            } catch (IllegalArgumentException malformed) {
                throw refused("malformed-signature", "The " + HEADER + " header is malformed.");
            }
        }
        if (timestamp == null || signature == null) {
            throw refused("malformed-signature", "The " + HEADER + " header needs t=<unix seconds>,v1=<hex HMAC>.");
        }
        // In seconds, not as an Instant: t may be any long, and most longs lie beyond Instant's range.
        long now = clock.instant().getEpochSecond();
        if (timestamp < now - TOLERANCE.toSeconds() || timestamp > now + TOLERANCE.toSeconds()) {
            throw refused("stale-signature", "The signature's timestamp is more than " + TOLERANCE.toSeconds()
                    + " s from the server's clock.");
        }
        if (!MessageDigest.isEqual(mac(timestamp, body), signature)) {
            throw refused("invalid-signature", "The signature does not match the body.");
        }
    }

    private byte[] mac(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static ApiException refused(String code, String detail) {
        return ApiException.of(401, code, detail);
    }
}
