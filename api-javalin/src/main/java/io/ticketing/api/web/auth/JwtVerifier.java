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
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Set;

/**
 * Verifies customers' bearer tokens: the signature (HS256 with a shared secret, or RS256 with a
 * public key), and the {@code exp}, {@code iss} and {@code aud} claims; {@code sub} is the customer.
 */
public final class JwtVerifier {

    private static final int MIN_SECRET_BYTES = 32;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private JwtVerifier(JWSVerificationKeySelector<SecurityContext> keys, String issuer, String audience) {
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "exp", "iss", "aud")));
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
            return processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException(Reason.MALFORMED, e);
        } catch (ExpiredJWTException e) {
            throw new InvalidTokenException(Reason.EXPIRED, e);
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException(Reason.REJECTED, e);
        }
    }

    /** Why a token is refused, in classes a client can act on; the library's own words stay in the exception's cause. */
    public enum Reason {
        /** Not a JWT at all (not three base64url parts, not JSON). */
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
