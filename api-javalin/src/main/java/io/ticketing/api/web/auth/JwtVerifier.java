package io.ticketing.api.web.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies customers' bearer tokens: the signature (HS256 with a shared secret, or RS256 with a
 * public key), and the {@code exp}, {@code iss} and {@code aud} claims; {@code sub} is the customer.
 */
public final class JwtVerifier {

    private static final int MIN_SECRET_BYTES = 32;
    /** How far exp and nbf may be off for clocks that differ (docs/api.md): the library's default, said here. */
    public static final int CLOCK_LEEWAY_SECONDS = 60;
    /** The seconds of NumericDates (exp, nbf, iat) a token may carry: years 1 to 9999, as every date of the API. */
    private static final long MIN_DATE = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_DATE = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private static final Set<String> REQUIRED_CLAIMS = Set.of("sub", "exp", "iss", "aud");

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private JwtVerifier(JWSVerificationKeySelector<SecurityContext> keys, String issuer, String audience) {
        processor.setJWSKeySelector(keys);
        var claims = new DefaultJWTClaimsVerifier<SecurityContext>(audience, new JWTClaimsSet.Builder().issuer(issuer).build(),
                REQUIRED_CLAIMS) {
            @Override
            public void verify(JWTClaimsSet claimsSet, SecurityContext context) throws BadJWTException {
                // The library counts a claim written as JSON null as present, and then skips its checks: "exp": null
                // made a token that never expires, "sub": null one of nobody. Null or blank is missing.
                for (String name : REQUIRED_CLAIMS) {
                    if (claimsSet.getClaim(name) == null || claimsSet.getClaim(name) instanceof String text && text.isBlank()) {
                        throw new BadJWTException("JWT missing required claim: " + name);
                    }
                }
                super.verify(claimsSet, context);
            }
        };
        claims.setMaxClockSkew(CLOCK_LEEWAY_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    public static JwtVerifier hmac(String secret, String issuer, String audience) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes long");
        }
        return new JwtVerifier(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(bytes)), issuer, audience);
    }

    public static JwtVerifier rsa(RSAPublicKey publicKey, String issuer, String audience) {
        var jwks = new ImmutableJWKSet<SecurityContext>(new JWKSet(new RSAKey.Builder(publicKey).build()));
        return new JwtVerifier(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, jwks), issuer, audience);
    }

    /** The verified claims, or an exception saying why the token is refused. */
    public JWTClaimsSet verify(String token) throws InvalidTokenException {
        try {
            JWT jwt = JWTParser.parse(token);
            if (jwt instanceof SignedJWT signed && signed.getPayload().toJSONObject() == null) {
                // else refused after its signature, as one the issuer did not sign: it is no JWT, whoever signed it
                throw new ParseException("a payload that is not a JSON object", 0);
            }
            if (!datesAClockHolds(jwt)) {
                throw new ParseException("a NumericDate outside the years 1 to 9999", 0);
            }
            return processor.process(jwt, null);
        } catch (ParseException e) {
            throw new InvalidTokenException(Reason.MALFORMED, e);
        } catch (ExpiredJWTException e) {
            throw new InvalidTokenException(Reason.EXPIRED, e);
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException(Reason.REJECTED, e);
        }
    }

    /**
     * Whether exp, nbf and iat are within years 1 to 9999 as written. The library turns their seconds into milliseconds
     * in a long: 2^63 or 1e300 overflowed into a date long past, and such a token was "expired" rather than nonsense.
     */
    private static boolean datesAClockHolds(JWT jwt) {
        Map<String, Object> claims = jwt instanceof JOSEObject jose ? jose.getPayload().toJSONObject() : null;
        if (claims == null) {
            return true; // not a JSON object, or encrypted: the processor refuses it as it is
        }
        for (String date : List.of("exp", "nbf", "iat")) {
            if (claims.get(date) instanceof Number seconds && !(seconds.doubleValue() >= MIN_DATE && seconds.doubleValue() <= MAX_DATE)) {
                return false;
            }
        }
        return true;
    }

    /** Why a token is refused, in classes a client can act on; the library's own words stay in the exception's cause. */
    public enum Reason {
        /** Not a JWT at all (not three base64url parts, not JSON), or a date in it no clock holds. */
        MALFORMED,
        /** Past its {@code exp}. */
        EXPIRED,
        /** Wrong signature or algorithm, another issuer or audience, not yet valid, or a required claim missing. */
        REJECTED
    }

    public static final class InvalidTokenException extends Exception {
        private final Reason reason;

        InvalidTokenException(Reason reason, Exception cause) {
            super(reason + ": " + cause.getMessage(), cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
