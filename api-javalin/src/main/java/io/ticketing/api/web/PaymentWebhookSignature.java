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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The payment provider signs each webhook: header {@value #HEADER} = {@code t=<unix seconds>,v1=<hex>}
 * where the hex is HMAC-SHA256 over {@code "<t>.<raw body>"} with the shared secret. A signature is
 * accepted only if it matches (compared in constant time) and {@code t} is within the tolerance of
 * now, so that a captured request cannot be replayed later.
 */
public final class PaymentWebhookSignature {

    public static final String HEADER = "Ticketing-Signature";
    public static final Duration TOLERANCE = Duration.ofSeconds(300);
    private static final String STALE = "The signature's timestamp is more than " + TOLERANCE.toSeconds() + " s from the server's clock.";
    /** Decimal digits, a minus allowed: not the plus sign nor the other scripts' digits that Long.parseLong also takes. */
    private static final Pattern UNIX_SECONDS = Pattern.compile("-?[0-9]{1,19}");

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

    /**
     * Throws {@link ApiException} (401) unless the header is a valid, fresh signature of the body. {@code t} comes once,
     * as decimal digits (a minus allowed); {@code v1} may come more than once (a provider rotating its secret signs with
     * both) and one of them must match; other schemes ({@code v0}) are ignored.
     */
    public void verify(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw refused("missing-signature", "The " + HEADER + " header is missing.");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length != 2) {
                throw refused("malformed-signature", "The " + HEADER + " header is malformed: '" + part.strip() + "' is not a name=value pair.");
            }
            if (pair[0].equals("t")) {
                if (timestamp != null || !UNIX_SECONDS.matcher(pair[1]).matches()) {
                    throw refused("malformed-signature", "The " + HEADER + " header needs one t=<unix seconds>, in decimal digits.");
                }
                try {
                    timestamp = Long.parseLong(pair[1]);
                } catch (NumberFormatException beyondLong) {
                    throw refused("stale-signature", STALE);
                }
            } else if (pair[0].equals("v1")) {
                try {
                    signatures.add(HexFormat.of().parseHex(pair[1]));
                } catch (IllegalArgumentException notHex) {
                    throw refused("malformed-signature", "The " + HEADER + " header's v1 is not hexadecimal.");
                }
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw refused("malformed-signature", "The " + HEADER + " header needs t=<unix seconds>,v1=<hex HMAC>.");
        }
        // In seconds, not as an Instant: t may be any long, and most longs lie beyond Instant's range.
        long now = clock.instant().getEpochSecond();
        if (timestamp < now - TOLERANCE.toSeconds() || timestamp > now + TOLERANCE.toSeconds()) {
            throw refused("stale-signature", STALE);
        }
        byte[] expected = mac(timestamp, body);
        // Every one compared, so that the time taken does not tell which matched.
        boolean matched = false;
        for (byte[] signature : signatures) {
            matched |= MessageDigest.isEqual(expected, signature);
        }
        if (!matched) {
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
