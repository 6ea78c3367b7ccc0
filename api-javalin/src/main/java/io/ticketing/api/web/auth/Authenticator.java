package io.ticketing.api.web.auth;

import io.ticketing.api.web.problem.ApiException;
import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.http.Context;
import io.ticketing.api.web.text.StorableText;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.VisibleText;
import io.ticketing.domain.port.in.FindApiKeyUseCase;
import io.ticketing.domain.port.in.RegisterCustomerUseCase;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the caller of a request: an API key ({@code X-API-Key}) for ADMIN and STAFF, a bearer JWT
 * for a CUSTOMER, nobody otherwise. A credential that is present but wrong is refused outright
 * rather than treated as anonymous, so that a client learns its key or token is broken; a request
 * carrying both kinds is refused too.
 */
public final class Authenticator {

    public static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";
    static final int MAX_CLAIM_LENGTH = 254;
    /** Our own sentences: the JWT library's messages name its internals and change between its versions. */
    private static final Map<JwtVerifier.Reason, String> TOKEN_REFUSED = Map.of(
            JwtVerifier.Reason.MALFORMED, "The bearer token is not a well-formed JWT.",
            JwtVerifier.Reason.EXPIRED, "The bearer token has expired; get a new one.",
            JwtVerifier.Reason.REJECTED, "The bearer token is not accepted here: check its signature, issuer (iss), "
                    + "audience (aud) and claims (sub, exp).");

    private final FindApiKeyUseCase keys;
    private final RegisterCustomerUseCase customers;
    private final Optional<JwtVerifier> tokens;

    public Authenticator(FindApiKeyUseCase keys, RegisterCustomerUseCase customers, Optional<JwtVerifier> tokens) {
        this.keys = keys;
        this.customers = customers;
        this.tokens = tokens;
    }

    public Principal authenticate(Context ctx) {
        String apiKey = ctx.header(API_KEY_HEADER);
        if (apiKey != null && ctx.header("Authorization") != null) {
            // Which one would count is a guess either way: a valid key must not hide a broken token, nor the reverse.
            throw ApiException.of(400, "ambiguous-credentials", "Send one credential: the " + API_KEY_HEADER + " header or 'Authorization: Bearer <JWT>', not both.");
        }
        if (apiKey != null) {
            String hash = ApiKeys.hash(apiKey.strip());
            return keys.findActiveApiKey(hash)
                    .map(key -> Principal.apiKey(Role.valueOf(key.role().name()), key.name(), hash))
                    .orElseThrow(() -> unauthorized("invalid-api-key", "The API key is unknown or revoked."));
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null) {
            return Principal.ANONYMOUS;
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("unsupported-authorization", "Use 'Authorization: Bearer <JWT>' or the " + API_KEY_HEADER + " header.");
        }
        JwtVerifier verifier = tokens.orElseThrow(() ->
                unauthorized("customer-tokens-disabled", "This server accepts no customer tokens: it has no JWT key configured."));
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(authorization.substring(BEARER.length()).strip());
        } catch (JwtVerifier.InvalidTokenException e) {
            throw unauthorized("invalid-token", TOKEN_REFUSED.get(e.reason()));
        }
        Principal customer;
        try {
            customer = Principal.customer(claims.getSubject(), claims.getStringClaim("email"), claims.getStringClaim("name"));
        } catch (ParseException e) {
            throw unauthorized("invalid-token", "The bearer token's 'email' and 'name' claims must be strings.");
        }
        // The subject keys the caller's idempotency keys and the e-mail address their account, both in indexes that
        // refuse long entries; no real address is longer (RFC 5321).
        if (characters(customer.subject()) > MAX_CLAIM_LENGTH || customer.email() != null && characters(customer.email()) > MAX_CLAIM_LENGTH) {
            throw unauthorized("invalid-token", "The bearer token's 'sub' and 'email' claims must be at most " + MAX_CLAIM_LENGTH + " characters.");
        }
        // They are stored (the account, the audit trail's actor): a NUL or a lone surrogate is no text the database keeps.
        if (!isText(customer.subject()) || !isText(customer.email()) || !isText(customer.name())) {
            throw unauthorized("invalid-token", "The bearer token's 'sub', 'email' and 'name' claims must be text without control characters.");
        }
        if (customer.customerEmail() != null && !isAddressOrAccount(customer.customerEmail())) {
            throw unauthorized("invalid-token", "The bearer token's 'email' claim (or its 'sub', without one) is not an e-mail address.");
        }
        return customer;
    }

    /**
     * A well-formed address, or one a customer already has: a customer migrated from the legacy app may keep an
     * address that no new customer could register ({@code "odd.name@"}); their identity provider vouches for it, and
     * they sign in with it and find their bookings. Only such tokens cost a look-up.
     */
    private boolean isAddressOrAccount(String email) {
        if (VisibleText.isBlank(email)) {
            return false;
        }
        try {
            Customer.normalizeEmail(email);
            return true;
        } catch (InvalidValueException notAnAddress) {
            return customers.findCustomer(email).isPresent();
        }
    }

    /** As PostgreSQL counts them, as every limit of the API: an emoji is one. */
    private static int characters(String claim) {
        return claim.codePointCount(0, claim.length());
    }

    /** Text the database stores ({@link StorableText}) without a control character (absent is fine). */
    private static boolean isText(String claim) {
        return claim == null || StorableText.problem(claim) == null && !VisibleText.hasControlCharacter(claim);
    }

    static ApiException unauthorized(String code, String detail) {
        return ApiException.of(401, code, detail);
    }
}
