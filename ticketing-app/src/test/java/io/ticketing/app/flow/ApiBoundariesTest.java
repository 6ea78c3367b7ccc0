package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.api.web.PaymentWebhookSignature;
import io.ticketing.api.web.auth.ApiKeys;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.ApiKeyRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/** Who may do what, idempotency, webhook forgery, and bad input: every refusal a clear problem+json 4xx. */
class ApiBoundariesTest {

    private static TestApplication api;
    private static String eventId;
    private static List<String> seats;

    @BeforeAll
    static void start() {
        api = TestApplication.start();
        eventId = publishedEventWithSeats(api, 2, 10);
        seats = availableSeatIds(api, eventId);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void admin_routes_refuse_anonymous_callers_with_401_and_customers_and_staff_with_403() {
        String body = "{\"title\":\"x\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\"}";

        assertProblem(api.anonymous().post("/events", body), 401, "authentication-required");
        assertProblem(api.customer("eve@example.com").post("/events", body), 403, "forbidden");
        assertProblem(api.staff().post("/events", body), 403, "forbidden");
        assertProblem(api.customer("eve@example.com").get("/events/" + eventId + "/stats"), 403, "forbidden");
        assertThat(api.staff().post("/events", body).json().get("detail").asText()).as("in words, not Java's")
                .isEqualTo("The staff role may not POST /events.");
        assertThat(api.staff().get("/events/" + eventId + "/stats").status()).as("staff at the door read the counters").isEqualTo(200);
    }

    @Test
    void an_api_key_stored_with_a_name_of_no_break_spaces_still_authenticates_and_acts() {
        // An earlier version stored key names unchecked; the key's holder must not be locked out by a newer rule.
        String key = ApiKeys.generate();
        new ApiKeyRepository(new Sessions(api.database().dataSource())).create("\u00a0", "ADMIN", ApiKeys.hash(key));
        var holder = api.anonymous().with("X-API-Key", key);

        assertThat(holder.get("/admin/events").status()).isEqualTo(200);
        Response created = holder.post("/events", "{\"title\":\"Kept\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    @Test
    void wrong_credentials_are_refused_not_treated_as_anonymous() {
        assertProblem(api.anonymous().with("X-API-Key", "tk_not-a-key").get("/events"), 401, "invalid-api-key");
        assertProblem(api.anonymous().with("Authorization", "Bearer not.a.jwt").get("/events"), 401, "invalid-token");
        String expired = TestApplication.token("eve@example.com", TestApplication.ISSUER, TestApplication.AUDIENCE,
                Instant.now().minusSeconds(60), TestApplication.JWT_SECRET);
        assertProblem(api.anonymous().with("Authorization", "Bearer " + expired).get("/bookings"), 401, "invalid-token");
        String otherAudience = TestApplication.token("eve@example.com", TestApplication.ISSUER, "someone-else",
                Instant.now().plusSeconds(60), TestApplication.JWT_SECRET);
        assertProblem(api.anonymous().with("Authorization", "Bearer " + otherAudience).get("/bookings"), 401, "invalid-token");
        String otherIssuer = TestApplication.token("eve@example.com", "evil", TestApplication.AUDIENCE,
                Instant.now().plusSeconds(60), TestApplication.JWT_SECRET);
        assertProblem(api.anonymous().with("Authorization", "Bearer " + otherIssuer).get("/bookings"), 401, "invalid-token");
        String forged = TestApplication.token("eve@example.com", TestApplication.ISSUER, TestApplication.AUDIENCE,
                Instant.now().plusSeconds(60), "another-secret-that-is-long-enough-for-hs256");
        assertProblem(api.anonymous().with("Authorization", "Bearer " + forged).get("/bookings"), 401, "invalid-token");
        // A valid key does not hide a broken token, nor a valid token a broken key.
        assertProblem(api.admin().with("Authorization", "Bearer garbage").get("/admin/events"), 400, "ambiguous-credentials");
        assertProblem(api.customer("eve@example.com").with("X-API-Key", "tk_not-a-key").get("/bookings"), 400, "ambiguous-credentials");
    }

    @Test
    void a_refused_credential_is_told_why_in_our_own_words_not_the_jwt_librarys() {
        String malformed = "The bearer token is not a well-formed JWT.";
        String expiredDetail = "The bearer token has expired; get a new one.";
        String rejected = "The bearer token is not accepted here: check its signature, issuer (iss), audience (aud) and claims (sub, exp).";
        String expired = TestApplication.token("eve@example.com", TestApplication.ISSUER, TestApplication.AUDIENCE,
                Instant.now().minusSeconds(60), TestApplication.JWT_SECRET);
        String forged = TestApplication.token("eve@example.com", TestApplication.ISSUER, TestApplication.AUDIENCE,
                Instant.now().plusSeconds(60), "another-secret-that-is-long-enough-for-hs256");
        String otherAudience = TestApplication.token("eve@example.com", TestApplication.ISSUER, "someone-else",
                Instant.now().plusSeconds(60), TestApplication.JWT_SECRET);
        String unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJldmVAZXhhbXBsZS5jb20ifQ.";
        java.util.Map<String, String> answers = new java.util.LinkedHashMap<>();
        answers.put("Bearer not.a.jwt", malformed);
        answers.put("Bearer garbage", malformed);
        // signed by the issuer's own key, but no claims to read: not a JWT, rather than a token of someone else
        answers.put("Bearer " + TestApplication.signedClaims("not json"), malformed);
        answers.put("Bearer " + TestApplication.signedClaims("[\"eve@example.com\"]"), malformed);
        answers.put("Bearer " + expired, expiredDetail);
        answers.put("Bearer " + forged, rejected);
        answers.put("Bearer " + otherAudience, rejected);
        answers.put("Bearer " + unsigned, rejected);

        answers.forEach((authorization, detail) -> {
            Response refused = api.anonymous().with("Authorization", authorization).get("/bookings");
            assertProblem(refused, 401, "invalid-token");
            assertThat(refused.json().get("detail").asText()).as(authorization).isEqualTo(detail);
        });
        Response wrongKey = api.anonymous().with("X-API-Key", "tk_not-a-key").get("/admin/events");
        assertProblem(wrongKey, 401, "invalid-api-key");
        assertThat(wrongKey.json().get("detail").asText()).isEqualTo("The API key is unknown or revoked.");
    }

    @Test
    void a_token_whose_exp_or_nbf_no_clock_holds_is_not_well_formed_rather_than_expired() {
        String claims = "{\"sub\":\"eve@example.com\",\"iss\":\"" + TestApplication.ISSUER + "\",\"aud\":\""
                + TestApplication.AUDIENCE + "\",%s}";
        long later = Instant.now().plusSeconds(600).getEpochSecond();
        // 2^63 and 1e300 overflowed into a date in the past: the token was "expired", not refused as nonsense.
        for (String dates : List.of("\"exp\":9223372036854775808", "\"exp\":9223372036854775807", "\"exp\":1e300", "\"exp\":-1e300",
                "\"exp\":253402300800", "\"exp\":" + later + ",\"nbf\":-9223372036854775808", "\"exp\":" + later + ",\"nbf\":1e300")) {
            Response refused = api.anonymous().with("Authorization", "Bearer " + TestApplication.signedClaims(claims.formatted(dates))).get("/bookings");
            assertProblem(refused, 401, "invalid-token");
            assertThat(refused.json().get("detail").asText()).as(dates).isEqualTo("The bearer token is not a well-formed JWT.");
        }
        Response valid = api.anonymous().with("Authorization", "Bearer " + TestApplication.signedClaims(claims.formatted("\"exp\":" + later)))
                .get("/bookings");
        assertThat(valid.status()).as(valid.toString()).isEqualTo(200);
    }

    @Test
    void a_token_whose_name_the_database_could_not_store_or_holds_a_control_character_is_refused() {
        String claims = "{\"sub\":\"claims@example.com\",\"name\":\"%s\",\"iss\":\"" + TestApplication.ISSUER + "\",\"aud\":\""
                + TestApplication.AUDIENCE + "\",\"exp\":" + Instant.now().plusSeconds(600).getEpochSecond() + "}";
        for (String name : List.of("Ann\\u0000", "Ann\\ud800", "\\udc00Ann", "Ann\\u0085", "Ann\\n")) {
            Response refused = api.anonymous().with("Authorization", "Bearer " + TestApplication.signedClaims(claims.formatted(name)))
                    .get("/bookings");
            assertDetail(refused, 401, "invalid-token", "must be text without control characters");
        }
        Response pair = api.anonymous().with("Authorization", "Bearer " + TestApplication.signedClaims(claims.formatted("Ann \\ud83c\\udfab")))
                .get("/bookings");
        assertThat(pair.status()).as("a whole surrogate pair: one emoji").isEqualTo(200);
    }

    @Test
    void probes_answer_without_credentials_and_still_refuse_a_wrong_one() {
        String expired = TestApplication.token("probe@example.com", TestApplication.ISSUER, TestApplication.AUDIENCE,
                Instant.now().minusSeconds(60), TestApplication.JWT_SECRET);
        for (String probe : List.of("/health", "/ready")) {
            assertThat(api.anonymous().get(probe).status()).as(probe + " without credentials").isEqualTo(200);
            assertThat(api.admin().get(probe).status()).as(probe + " with a valid key").isEqualTo(200);
            assertThat(api.customer("probe@example.com").get(probe).status()).as(probe + " with a valid token").isEqualTo(200);
            // A probe is no exception to the rule: a credential that is present and wrong is never ignored.
            assertProblem(api.anonymous().with("X-API-Key", "tk_wrong").get(probe), 401, "invalid-api-key");
            assertProblem(api.anonymous().with("Authorization", "Bearer " + expired).get(probe), 401, "invalid-token");
        }
    }

    @Test
    void every_documented_operation_answers_two_credentials_and_a_wrong_key_as_documented() throws Exception {
        String yaml;
        try (var in = ApiBoundariesTest.class.getResourceAsStream("/api/openapi.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var document = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(yaml, null, null).getOpenAPI();
        int operations = 0;
        for (var path : document.getPaths().entrySet()) {
            for (var method : path.getValue().readOperationsMap().keySet()) {
                // The answers are checked against the document by the caller itself: 400 and 401 must be listed.
                java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + api.port()
                        + path.getKey().replaceAll("\\{[^}]+}", java.util.UUID.randomUUID().toString()));
                var request = java.net.http.HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .method(method.name(), java.net.http.HttpRequest.BodyPublishers.ofString("{}"));
                assertProblem(api.admin().with("Authorization", "Bearer garbage").send(request.copy()), 400, "ambiguous-credentials");
                assertProblem(api.anonymous().with("X-API-Key", "tk_wrong").send(request.copy()), 401, "invalid-api-key");
                operations++;
            }
        }
        assertThat(operations).as("operations in the document").isGreaterThan(30);
    }

    @Test
    void an_event_in_yen_takes_whole_prices_only() {
        var admin = api.admin();
        String event = admin.post("/events", "{\"title\":\"Tokyo\",\"startsAt\":\"2031-05-01T20:00:00Z\",\"currency\":\"JPY\"}")
                .json().get("id").asText();
        String block = "{\"blocks\":[{\"section\":\"A\",\"rows\":[\"1\"],\"firstNumber\":1,\"lastNumber\":2,\"price\":%s}]}";
        Response cents = admin.post("/events/" + event + "/seats", block.formatted("1250.50"));
        assertProblem(cents, 400, "invalid-value");
        assertThat(cents.json().get("detail").asText()).contains("JPY has none");
        assertThat(admin.post("/events/" + event + "/seats", block.formatted("1250")).status()).isEqualTo(201);
        assertThat(admin.get("/events/" + event + "/seats").json().get("items").get(0).get("price").get("amount").asText()).isEqualTo("1250.00");
    }

    @Test
    void an_event_is_created_to_take_place_later_at_a_date_time_written_as_it_is_stored() {
        String event = "{\"title\":\"When\",\"startsAt\":\"%s\",\"currency\":\"EUR\"}";
        assertDetail(api.admin().post("/events", event.formatted("2020-01-01T20:00:00Z")), 400, "invalid-value", "is in the past");
        // Trimmed, the next day's midnight, or a year the parser takes for no date-time: none of them is what was sent.
        for (String when : List.of(" 2031-05-01T20:00:00Z", "2031-05-01T20:00:00Z\\t", "2031-05-01T24:00:00Z", "10000-01-01T00:00:00Z")) {
            assertDetail(api.admin().post("/events", event.formatted(when)), 400, "invalid-value", "'startsAt' must be an ISO 8601 date-time");
        }
        assertThat(api.admin().post("/events", event.formatted("2031-05-01T20:00:00Z")).status()).isEqualTo(201);
    }

    @Test
    void a_webhook_amount_its_currency_cannot_hold_is_named_as_the_amount() {
        String report = "{\"id\":\"evt-jpy-decimals\",\"type\":\"succeeded\",\"paymentSessionId\":\"" + java.util.UUID.randomUUID()
                + "\",\"amount\":\"1250.50\",\"currency\":\"JPY\",\"providerReference\":\"pay-jpy\"}";
        assertDetail(api.webhook(report), 400, "invalid-value", "amount has decimals, which JPY has none of");
    }

    @Test
    void an_event_in_gold_a_fund_or_a_testing_code_is_refused() {
        for (String code : List.of("XAU", "XXX", "XTS", "XDR", "CLF", "BOV", "USN", "UYI")) {
            Response refused = api.admin().post("/events", "{\"title\":\"Metal\",\"startsAt\":\"2031-05-01T20:00:00Z\",\"currency\":\"" + code + "\"}");
            assertDetail(refused, 400, "invalid-value", code + " is not a currency of money");
        }
    }

    @Test
    void a_seat_position_typed_with_a_combining_accent_is_the_one_typed_with_the_accented_letter() {
        var admin = api.admin();
        String event = admin.post("/events", "{\"title\":\"Accents\",\"startsAt\":\"2031-05-01T20:00:00Z\",\"currency\":\"EUR\"}")
                .json().get("id").asText();
        String block = "{\"blocks\":[{\"section\":\"%s\",\"rows\":[\"1\"],\"firstNumber\":1,\"lastNumber\":1,\"price\":10}]}";

        assertThat(admin.post("/events/" + event + "/seats", block.formatted("Balcon \u00e9t\u00e9")).status()).isEqualTo(201);
        assertProblem(admin.post("/events/" + event + "/seats", block.formatted("Balcon e\u0301te\u0301")), 409, "duplicate");
        assertThat(admin.get("/events/" + event + "/seats").json().get("items")).hasSize(1);
    }

    @Test
    void a_write_that_takes_no_body_refuses_the_fields_it_would_ignore_and_changes_nothing() {
        var admin = api.admin();
        String event = admin.post("/events", "{\"title\":\"Bodiless\",\"startsAt\":\"2031-05-01T20:00:00Z\",\"currency\":\"EUR\"}")
                .json().get("id").asText();
        admin.post("/events/" + event + "/seats", "{\"blocks\":[{\"section\":\"A\",\"rows\":[\"1\"],\"firstNumber\":1,\"lastNumber\":2,\"price\":10}]}");

        assertDetail(admin.post("/events/" + event + "/publish", "{\"evil\":1}"), 400, "unknown-field",
                "Unknown field 'evil': this request takes no body.");
        assertDetail(admin.post("/analytics/sales/refresh", "[]"), 400, "malformed-body", "This request takes no body: send none, or {}.");
        assertProblem(admin.post("/analytics/sales/refresh", "null"), 400, "malformed-body");
        assertThat(admin.get("/events/" + event).json().get("status").asText()).as("not published").isEqualTo("DRAFT");

        // None, or the empty object that some clients always send.
        assertThat(admin.post("/events/" + event + "/publish", "{}").status()).isEqualTo(200);
        assertThat(admin.post("/analytics/sales/refresh", "").status()).isEqualTo(200);
        assertThat(admin.post("/analytics/sales/refresh", " { } ").status()).isEqualTo(200);
    }

    @Test
    void an_event_that_sold_more_than_one_price_can_hold_still_answers_its_stats_and_sales() {
        var admin = api.admin();
        String event = admin.post("/events", "{\"title\":\"Gala\",\"startsAt\":\"2031-05-01T20:00:00Z\",\"currency\":\"EUR\"}")
                .json().get("id").asText();
        assertThat(admin.post("/events/" + event + "/seats",
                "{\"blocks\":[{\"section\":\"A\",\"rows\":[\"1\"],\"firstNumber\":1,\"lastNumber\":2,\"price\":99999999.99}]}").status())
                .isEqualTo(201);
        assertThat(admin.post("/events/" + event + "/publish", "").status()).isEqualTo(200);
        List<String> gala = availableSeatIds(api, event);
        // One checkout may not exceed what one amount can hold; two checkouts of one seat each may.
        assertProblem(api.customer("patron@example.com").post("/payment-sessions",
                "{\"eventId\":\"" + event + "\",\"seatIds\":[\"" + gala.get(0) + "\",\"" + gala.get(1) + "\"]}"), 400, "invalid-value");
        for (int i = 0; i < 2; i++) {
            var patron = api.customer("patron" + i + "@example.com");
            String session = patron.post("/payment-sessions", "{\"eventId\":\"" + event + "\",\"seatIds\":[\"" + gala.get(i) + "\"]}")
                    .json().get("id").asText();
            assertThat(api.webhook(paymentEvent("evt-gala-" + i, "succeeded", session, "99999999.99")).status()).isEqualTo(200);
        }

        Response stats = admin.get("/events/" + event + "/stats");
        assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
        assertThat(stats.json().toString()).contains("199999999.98");
        Response sales = admin.post("/analytics/sales/refresh", "");
        assertThat(sales.status()).as(sales.toString()).isEqualTo(200);
        assertThat(sales.json().toString()).contains("199999999.98");
    }

    @Test
    void a_customer_cannot_see_or_cancel_another_customers_checkout_or_booking() {
        var owner = api.customer("owner@example.com");
        var other = api.customer("other@example.com");
        String sessionId = owner.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\"]}")
                .json().get("id").asText();
        String bookingId = api.webhook(paymentEvent("evt-owner", "succeeded", sessionId, "50.00")).json().get("booking").get("id").asText();

        assertProblem(other.get("/payment-sessions/" + sessionId), 404, "not-found");
        assertProblem(other.get("/bookings/" + bookingId), 404, "not-found");
        assertProblem(other.get("/bookings/" + bookingId + "/tickets"), 404, "not-found");
        assertProblem(other.post("/bookings/" + bookingId + "/cancel", ""), 404, "not-found");
        assertThat(other.get("/bookings").json().get("items")).isEmpty();
        assertThat(owner.get("/bookings/" + bookingId).status()).isEqualTo(200);
        // Another customer's booking, or no booking at all, is no place in one's own list: not an empty last page.
        assertProblem(other.get("/bookings?after=" + bookingId), 400, "invalid-cursor");
        assertProblem(owner.get("/bookings?after=" + java.util.UUID.randomUUID()), 400, "invalid-cursor");
        assertProblem(api.admin().get("/admin/bookings?needsReview=true&after=" + java.util.UUID.randomUUID()), 400, "invalid-cursor");
        assertProblem(api.admin().get("/admin/events?after=" + java.util.UUID.randomUUID()), 400, "invalid-cursor");
        assertThat(api.admin().get("/admin/events?after=" + eventId).status()).isEqualTo(200);
        Response afterOwn = owner.get("/bookings?after=" + bookingId);
        assertThat(afterOwn.status()).as(afterOwn.toString()).isEqualTo(200);
        assertThat(afterOwn.json().get("items")).isEmpty();
        Response reviewAfterAny = api.admin().get("/admin/bookings?needsReview=true&after=" + bookingId);
        assertThat(reviewAfterAny.status()).as("a booking not (or no longer) to review still marks a place").isEqualTo(200);
    }

    @Test
    void a_token_whose_claims_are_no_text_or_no_address_is_401_on_every_route() {
        for (String token : List.of(TestApplication.token("nul", "a\u0000b@example.com"), TestApplication.token("a\u0000@example.com", null),
                TestApplication.token("nobody", "not an email"), TestApplication.token("dots", "x@.example.com"),
                TestApplication.token("dots", "y@example..com"))) {
            var caller = api.anonymous().with("Authorization", "Bearer " + token);
            assertProblem(caller.get("/bookings"), 401, "invalid-token");
            assertProblem(caller.get("/events"), 401, "invalid-token");
            assertProblem(caller.get("/events/" + eventId + "/seats"), 401, "invalid-token");
        }
    }

    @Test
    void idempotency_keys_belong_to_the_customers_account_not_to_the_tokens_subject() {
        String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(7) + "\"]}";
        var erin = api.anonymous().with("Authorization", "Bearer " + TestApplication.token("user-42", "erin@example.com"))
                .with("Idempotency-Key", "same-key");
        var frank = api.anonymous().with("Authorization", "Bearer " + TestApplication.token("user-42", "frank@example.com"))
                .with("Idempotency-Key", "same-key");
        var erinElsewhere = api.anonymous().with("Authorization", "Bearer " + TestApplication.token("idp-2:erin", "Erin@Example.com"))
                .with("Idempotency-Key", "same-key");

        Response first = erin.post("/payment-sessions", body);
        Response franks = frank.post("/payment-sessions", body);
        Response again = erinElsewhere.post("/payment-sessions", body);

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(franks.header("Idempotent-Replayed")).as("another customer is not answered with Erin's checkout").isNull();
        assertProblem(franks, 409, "seats-unavailable");
        assertThat(again.header("Idempotent-Replayed")).as("Erin, through another identity provider").isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
    }

    @Test
    void idempotency_keys_belong_to_the_api_key_so_two_doors_whose_keys_share_a_name_are_not_answered_each_others_scans() {
        // `admin create-key` names a key after its creator by default: both doors' keys are "test-door".
        String secondDoor = ApiKeys.generate();
        new ApiKeyRepository(new Sessions(api.database().dataSource())).create("test-door", "STAFF", ApiKeys.hash(secondDoor));
        String sessionId = api.customer("doors@example.com").post("/payment-sessions",
                "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(9) + "\"]}").json().get("id").asText();
        String bookingId = api.webhook(paymentEvent("evt-doors", "succeeded", sessionId, "50.00")).json().get("booking").get("id").asText();
        String code = api.customer("doors@example.com").get("/bookings/" + bookingId + "/tickets").json().get(0).get("code").asText();
        String scan = "{\"eventId\":\"" + eventId + "\"}";

        Response doorA = api.staff().with("Idempotency-Key", "scan-" + code).post("/tickets/" + code + "/check-in", scan);
        Response doorB = api.anonymous().with("X-API-Key", secondDoor).with("Idempotency-Key", "scan-" + code)
                .post("/tickets/" + code + "/check-in", scan);
        Response doorARetry = api.staff().with("Idempotency-Key", "scan-" + code).post("/tickets/" + code + "/check-in", scan);

        assertThat(doorA.status()).as(doorA.toString()).isEqualTo(200);
        assertThat(doorB.header("Idempotent-Replayed")).as("a copied ticket at the other door is not let in").isNull();
        assertProblem(doorB, 409, "ticket-already-used");
        assertThat(doorARetry.header("Idempotent-Replayed")).as("the first door's own retry").isEqualTo("true");
    }

    @Test
    void a_retry_with_the_same_idempotency_key_replays_the_first_answer_and_another_body_is_422() {
        var buyer = api.customer("retry@example.com").with("Idempotency-Key", "checkout-1");
        String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(1) + "\"]}";

        Response first = buyer.post("/payment-sessions", body);
        Response retry = buyer.post("/payment-sessions", body);
        Response otherBody = buyer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(2) + "\"]}");

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location")).isNotNull();
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.contentType()).as("the first answer's, parameters included").isEqualTo(first.contentType());
        assertProblem(otherBody, 422, "idempotency-key-reused");
        assertThat(availableSeatIds(api, eventId)).contains(seats.get(2));
    }

    @Test
    void a_customers_reads_register_nothing_and_their_first_write_registers_them_once() throws Exception {
        var newcomer = api.customer("newcomer@example.com");

        assertThat(newcomer.get("/bookings").json().get("items")).isEmpty();
        assertThat(customersWithEmail("newcomer@example.com")).as("after a read").isZero();
        assertThat(newcomer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(11) + "\"]}")
                .status()).isEqualTo(201);
        assertThat(newcomer.get("/bookings").status()).isEqualTo(200);
        assertThat(customersWithEmail("newcomer@example.com")).as("after a write and a read").isOne();
    }

    private long customersWithEmail(String email) throws Exception {
        try (var connection = api.database().connect();
             var statement = connection.prepareStatement("SELECT count(*) FROM ticketing.customer WHERE email = ?")) {
            statement.setString(1, email);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void every_write_takes_an_idempotency_key_an_admin_creating_an_event_twice_gets_one_event() {
        var admin = api.admin().with("Idempotency-Key", "create-once");
        String body = """
                {"title":"Once","venue":"Hall","startsAt":"2031-01-01T20:00:00Z","endsAt":"2031-01-01T23:00:00Z","currency":"EUR"}
                """;

        Response created = admin.post("/events", body);
        Response retry = admin.post("/events", body);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(created.body());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.admin().get("/admin/events?includeDeleted=true").json().get("items").findValuesAsText("title")
                .stream().filter("Once"::equals)).hasSize(1);
    }

    @Test
    void two_buyers_cannot_hold_the_same_seat_and_the_refusal_is_the_answer_a_retry_gets() {
        String seat = seats.get(3);
        String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seat + "\"]}";
        var first = api.customer("first@example.com");
        var second = api.customer("second@example.com").with("Idempotency-Key", "hold-3");
        Response held = first.post("/payment-sessions", body);
        Response refused = second.post("/payment-sessions", body);

        assertThat(held.status()).isEqualTo(201);
        assertProblem(refused, 409, "seats-unavailable");

        // The seat comes free: a retry with the same key still gets the first answer, a new key runs.
        assertThat(first.post("/payment-sessions/" + held.json().get("id").asText() + "/cancel", "").status()).isEqualTo(200);
        Response retried = second.post("/payment-sessions", body);
        assertProblem(retried, 409, "seats-unavailable");
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retried.contentType()).as("the first answer's, parameters included").isEqualTo(refused.contentType());
        assertThat(second.with("Idempotency-Key", "hold-3-again").post("/payment-sessions", body).status()).isEqualTo(201);
    }

    @Test
    void forged_stale_and_unsigned_webhooks_are_refused() {
        String body = paymentEvent("evt-forged", "succeeded", java.util.UUID.randomUUID().toString(), "50.00");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var wrongSecret = new PaymentWebhookSignature("not-the-secret", Clock.systemUTC()).sign(bytes, Instant.now());
        var stale = new PaymentWebhookSignature(TestApplication.WEBHOOK_SECRET, Clock.systemUTC()).sign(bytes, Instant.now().minusSeconds(301));
        var otherBody = new PaymentWebhookSignature(TestApplication.WEBHOOK_SECRET, Clock.systemUTC())
                .sign("{}".getBytes(StandardCharsets.UTF_8), Instant.now());

        assertProblem(api.rawWebhook(body, null), 401, "missing-signature");
        assertProblem(api.rawWebhook(body, wrongSecret), 401, "invalid-signature");
        assertProblem(api.rawWebhook(body, stale), 401, "stale-signature");
        assertProblem(api.rawWebhook(body, otherBody), 401, "invalid-signature");
        assertProblem(api.rawWebhook(body, "t=abc,v1=zz"), 401, "malformed-signature");
        // Timestamps far beyond what java.time holds are merely stale (an Instant of them was a 500).
        for (String far : List.of(Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE), "31556889864403200", "9999999999999999999")) {
            assertProblem(api.rawWebhook(body, "t=" + far + ",v1=00"), 401, "stale-signature");
        }
        // What Long.parseLong would take but no signer writes, a timestamp given twice, a part that is no pair: not guessed at.
        String now = Long.toString(Instant.now().getEpochSecond());
        String signed = new PaymentWebhookSignature(TestApplication.WEBHOOK_SECRET, Clock.systemUTC()).sign(bytes, Instant.now());
        String v1 = signed.substring(signed.indexOf("v1="));
        for (String header : List.of("t=+" + now + "," + v1, "t= " + now + "0," + v1, "t=" + now + ",t=" + now + "," + v1,
                "t=" + now + "," + v1 + ",", "t=" + now + ",junk," + v1)) {
            assertProblem(api.rawWebhook(body, header), 401, "malformed-signature");
        }
        // Two header lines: which one counts would be a guess.
        Response twice = api.anonymous().sendUnchecked(java.net.http.HttpRequest.newBuilder(uri("/webhooks/payments"))
                .header("Content-Type", "application/json").header(PaymentWebhookSignature.HEADER, signed)
                .header(PaymentWebhookSignature.HEADER, wrongSecret).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        assertProblem(twice, 400, "ambiguous-credentials");
    }

    @Test
    void a_webhook_signed_with_two_secrets_is_accepted_when_either_matches_in_either_order() {
        String body = paymentEvent("evt-rotated", "failed", java.util.UUID.randomUUID().toString(), "50.00");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Instant at = Instant.now();
        String right = new PaymentWebhookSignature(TestApplication.WEBHOOK_SECRET, Clock.systemUTC()).sign(bytes, at);
        String wrong = new PaymentWebhookSignature("the-secret-before", Clock.systemUTC()).sign(bytes, at);
        String rightV1 = right.substring(right.indexOf("v1="));
        String wrongV1 = wrong.substring(wrong.indexOf("v1="));

        // The signature holds: the answer is the unknown checkout's 404, not a 401.
        for (String header : List.of("t=" + at.getEpochSecond() + "," + wrongV1 + "," + rightV1, "t=" + at.getEpochSecond() + "," + rightV1 + "," + wrongV1,
                "t=" + at.getEpochSecond() + ",v0=abc," + rightV1)) {
            assertProblem(api.rawWebhook(body, header), 404, "not-found");
        }
        assertProblem(api.rawWebhook(body, "t=" + at.getEpochSecond() + "," + wrongV1 + "," + wrongV1), 401, "invalid-signature");
    }

    @Test
    void a_signed_payment_for_an_unknown_checkout_is_404_every_time_and_records_nothing() {
        String body = paymentEvent("evt-unknown-checkout", "succeeded", java.util.UUID.randomUUID().toString(), "50.00");

        Response first = api.webhook(body);
        Response again = api.webhook(body);

        assertProblem(first, 404, "not-found");
        // Not "duplicate": the refusal rolled back the ledger's record with everything else.
        assertProblem(again, 404, "not-found");
        // A legacy checkout's id the provider may hold: the refusal names it, not the UUID it is looked up under.
        assertDetail(api.webhook(paymentEvent("evt-unknown-legacy", "succeeded", "clegacy0unknown0checkout", "50.00")), 404,
                "not-found", "PaymentSession clegacy0unknown0checkout was not found");
        // An id that shows nothing is blank, and called by its name in the body.
        assertDetail(api.webhook(paymentEvent("\u200b", "succeeded", java.util.UUID.randomUUID().toString(), "50.00")), 400,
                "invalid-value", "id, type and paymentSessionId are required");
    }

    @Test
    void a_payment_without_an_amount_or_in_another_currency_is_refused() {
        var buyer = api.customer("amount@example.com");
        String sessionId = buyer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(4) + "\"]}")
                .json().get("id").asText();

        assertProblem(api.webhook(paymentEvent("evt-amount", "succeeded", sessionId, "50.00").replace("\"EUR\"", "\"USD\"")), 422,
                "payment-amount-mismatch");
        for (String type : List.of("processing", "succeeded")) {
            String withoutAmount = "{\"id\":\"evt-no-amount-" + type + "\",\"type\":\"" + type + "\",\"paymentSessionId\":\"" + sessionId + "\"}";
            assertProblem(api.webhook(withoutAmount), 422, "payment-amount-mismatch");
            // Half of an amount is none: the number without its currency, or the currency alone.
            for (String half : List.of("\"amount\":\"50.00\"", "\"currency\":\"EUR\"")) {
                String halfAmount = "{\"id\":\"evt-half-amount-" + type + half.length() + "\",\"type\":\"" + type + "\",\"paymentSessionId\":\""
                        + sessionId + "\"," + half + ",\"providerReference\":\"pi_half\"}";
                assertProblem(api.webhook(halfAmount), 422, "payment-amount-mismatch");
            }
        }
        assertThat(buyer.get("/payment-sessions/" + sessionId).json().get("status").asText()).isEqualTo("OPEN");
    }

    @Test
    void a_second_success_of_the_same_payment_under_another_provider_event_id_changes_nothing() {
        var buyer = api.customer("paid-twice@example.com");
        Response checkout = buyer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(5) + "\"]}");
        String sessionId = checkout.json().get("id").asText();
        String amount = checkout.json().get("amount").get("amount").asText();
        Response first = api.webhook(paymentEvent("evt-paid-1", "succeeded", sessionId, amount));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        Response second = api.webhook(paymentEvent("evt-paid-2", "succeeded", sessionId, amount, "pay_evt-paid-1"));

        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().get("booking").get("id")).isEqualTo(first.json().get("booking").get("id"));
        assertThat(second.json().get("tickets").findValuesAsText("code")).isEqualTo(first.json().get("tickets").findValuesAsText("code"));
        assertThat(buyer.get("/bookings").json().get("items")).hasSize(1);
    }

    @Test
    void bad_input_is_a_problem_json_4xx_that_says_what_is_wrong() {
        var admin = api.admin();
        assertProblem(admin.post("/events", "{not json"), 400, "malformed-body");
        assertDetail(admin.post("/events", ""), 400, "malformed-body", "The body is empty");
        assertDetail(admin.post("/events", "null"), 400, "malformed-body", "The body is null");
        // Java would read a leap second as the second before it: stored, it would not be what was sent.
        assertDetail(admin.post("/events", "{\"title\":\"leap\",\"startsAt\":\"2027-06-30T23:59:60Z\",\"currency\":\"EUR\"}"), 400,
                "invalid-value", "'startsAt' must not be a leap second");
        assertDetail(admin.get("/admin/events?after=x"), 400, "invalid-cursor", "pass the nextAfter of the previous page");
        assertProblem(admin.post("/events", "{\"title\":\"x\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\",\"color\":\"red\"}"),
                400, "unknown-field");
        assertProblem(admin.post("/events", "{\"title\":\"x\",\"startsAt\":\"tomorrow\",\"currency\":\"EUR\"}"), 400, "malformed-body");
        assertProblem(admin.post("/events", "{\"title\":\"x\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"XYZ1\"}"), 400, "invalid-value");
        assertProblem(admin.post("/events", "{\"title\":\"\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\"}"), 400, "invalid-value");
        assertProblem(api.anonymous().get("/events/not-a-uuid"), 400, "invalid-id");
        assertProblem(api.anonymous().get("/events?limit=100000"), 400, "invalid-limit");
        assertProblem(admin.get("/admin/events?includeDeleted=maybe"), 400, "invalid-value");
        assertProblem(admin.get("/analytics/sales?refresh=1"), 400, "invalid-value");
        assertThat(admin.get("/admin/events?includeDeleted=false").status()).isEqualTo(200);

        Response event = admin.get("/events/" + eventId);
        String edit = "{\"title\":\"Renamed\",\"startsAt\":\"" + event.json().get("startsAt").asText() + "\",\"currency\":\"%s\",\"version\":"
                + event.json().get("version").asLong() + "}";
        assertProblem(admin.put("/events/" + eventId, edit.formatted("USD")), 422, "currency-immutable");
        assertThat(admin.get("/events/" + eventId).json().get("title").asText()).isEqualTo(event.json().get("title").asText());
        assertThat(admin.put("/events/" + eventId, edit.formatted(event.json().get("currency").asText())).status()).isEqualTo(200);
        assertProblem(admin.post("/events", "{\"title\":\"" + "x".repeat(70_000) + "\"}"), 413, null);
        assertProblem(api.anonymous().get("/events/" + java.util.UUID.randomUUID()), 404, "not-found");
        assertProblem(api.anonymous().get("/events/" + java.util.UUID.randomUUID() + "/seats"), 404, "not-found");
    }

    @Test
    void values_the_database_cannot_hold_or_that_would_be_coerced_are_refused_at_the_edge() {
        var admin = api.admin();
        String event = "{\"title\":\"%s\",\"startsAt\":%s,\"currency\":\"EUR\"}";
        Response nul = admin.post("/events", event.formatted("a\\u0000b", "\"2030-01-01T00:00:00Z\""));
        assertProblem(nul, 400, "invalid-value");
        assertThat(nul.json().get("detail").asText()).contains("'title'").contains("NUL");
        assertProblem(admin.post("/events", event.formatted("a\\ud800b", "\"2030-01-01T00:00:00Z\"")), 400, "invalid-value");
        Response farFuture = admin.post("/events", event.formatted("x", "\"+300000-01-01T00:00:00Z\""));
        assertProblem(farFuture, 400, "invalid-value");
        assertThat(farFuture.json().get("detail").asText()).contains("'startsAt'").contains("9999");
        assertProblem(admin.post("/events", event.formatted("x", "1700000000")), 400, "malformed-body");
        // A pair of surrogates is one character, and stored as such.
        assertThat(admin.post("/events", event.formatted("\\ud83c\\udfab", "\"2030-01-01T00:00:00Z\"")).status()).isEqualTo(201);

        String block = "{\"blocks\":[{\"section\":\"Z\",\"rows\":[\"A\"],\"firstNumber\":%s,\"lastNumber\":2,\"price\":%s}]}";
        assertProblem(admin.post("/events/" + eventId + "/seats", block.formatted("1", "\"12.50\"")), 400, "malformed-body");
        assertProblem(admin.post("/events/" + eventId + "/seats", block.formatted("1.5", "12.50")), 400, "malformed-body");
        for (String price : List.of("100000000", "1e30", "1e400")) {
            Response tooDear = admin.post("/events/" + eventId + "/seats", block.formatted("1", price));
            assertProblem(tooDear, 400, "invalid-value");
            assertThat(tooDear.json().get("detail").asText()).as("the limit of a price, not of a sum").contains("price must not exceed 99999999.99");
        }
        for (String number : List.of("2147483648", "99999999999999999999")) {
            Response overflow = admin.post("/events/" + eventId + "/seats", block.formatted(number, "12.50"));
            assertProblem(overflow, 400, "invalid-value");
            assertThat(overflow.json().get("detail").asText()).as("valid JSON, a value its field cannot hold")
                    .isEqualTo("'blocks[0].firstNumber' is out of range.");
        }
        Response nullBlock = admin.post("/events/" + eventId + "/seats", "{\"blocks\":[null]}");
        assertProblem(nullBlock, 400, "invalid-value");
        assertThat(nullBlock.json().get("detail").asText()).contains("'blocks[0]'");
        assertProblem(admin.post("/events/" + eventId + "/seats", block.replace("[\"A\"]", "[null]").formatted("1", "12.50")), 400, "invalid-value");

        var buyer = api.customer("strict-binding@example.com");
        for (String id : List.of(eventId + "\\u0000", " " + eventId, eventId + " ", eventId.substring(1))) {
            Response checkout = buyer.post("/payment-sessions", "{\"eventId\":\"" + id + "\",\"seatIds\":[\"" + seats.get(0) + "\"]}");
            assertProblem(checkout, 400, "invalid-id");
            assertThat(checkout.json().get("detail").asText()).contains("'eventId'");
        }
        // An id of another JSON type is no malformed id but a body of another shape, as a number for a text is.
        for (String notText : List.of("123", "true", "{}", "[\"" + eventId + "\"]")) {
            Response checkout = buyer.post("/payment-sessions", "{\"eventId\":" + notText + ",\"seatIds\":[\"" + seats.get(0) + "\"]}");
            assertProblem(checkout, 400, "malformed-body");
            assertThat(checkout.json().get("detail").asText()).contains("'eventId'");
        }
    }

    @Test
    void a_title_section_or_row_that_shows_nothing_or_holds_a_control_character_is_refused_naming_the_field() {
        var admin = api.admin();
        String event = "{\"title\":\"%s\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\"}";
        String block = "{\"blocks\":[{\"section\":\"%s\",\"rows\":[\"%s\"],\"firstNumber\":1,\"lastNumber\":1,\"price\":1}]}";
        for (String blank : List.of("\\u0001", "\\u001b", "\\u200b", "\\ufeff\\u2060", "\\u00a0", "\\u3000", "\\u00a0\\u200b\\u3000")) {
            assertDetail(admin.post("/events", event.formatted(blank)), 400, "invalid-value", "title must not be blank");
            assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted(blank, "A")), 400, "invalid-value", "section must not be blank");
            assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted("Blank", blank)), 400, "invalid-value", "row must not be blank");
        }
        for (String line : List.of("Gala\\nNight", "Gala\\tNight", "Gala\\u001b[2JNight", "Gala\\u0085Night")) {
            assertDetail(admin.post("/events", event.formatted(line)), 400, "invalid-value", "title must not contain control characters");
            assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted(line, "A")), 400, "invalid-value", "section must not contain");
            assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted("Lines", line)), 400, "invalid-value", "a row must not contain");
        }
        // A control character at an end is refused as inside (an ESC sequence is not kept half), not stripped.
        for (String end : List.of("\\u001b[31m", "\\tGala", "Gala\\n")) {
            assertDetail(admin.post("/events", event.formatted(end)), 400, "invalid-value", "title must not contain control characters");
            assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted(end, "A")), 400, "invalid-value", "section must not contain");
            assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted("Ends", end)), 400, "invalid-value", "a row must not contain");
        }
        // A zero-width or no-break space inside a position would make a second one that prints as the first.
        assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted("Sta\\u200blls", "A")), 400, "invalid-value",
                "section must not contain invisible characters");
        Response stripped = admin.post("/events", event.formatted("\\u200b\\u00a0Gala\\u00a0Night\\u3000"));
        assertThat(stripped.status()).as(stripped.toString()).isEqualTo(201);
        assertThat(stripped.json().get("title").asText()).isEqualTo("Gala\u00a0Night");
        assertDetail(admin.post("/events/" + stripped.json().get("id").asText() + "/cancel", "{\"reason\":\"\\u200b\\u00a0\"}"),
                400, "invalid-value", "reason must not be blank");
    }

    @Test
    void strings_beyond_their_documented_length_are_refused_naming_the_field_and_the_limit() {
        var admin = api.admin();
        // Random letters: PostgreSQL compresses repetitive index entries, which would hide the index's limit.
        String long101 = randomLetters(101);
        String section = randomLetters(3000);
        String block = "{\"blocks\":[{\"section\":\"%s\",\"rows\":[\"%s\"],\"firstNumber\":1,\"lastNumber\":1,\"price\":1}]}";
        assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted(section, "A")), 400, "invalid-value", "section", "100");
        assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted("S", section)), 400, "invalid-value", "row", "100");
        assertDetail(admin.post("/events/" + eventId + "/seats", block.formatted(long101, "A")), 400, "invalid-value", "section", "100");
        String event = "{\"title\":\"x\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\",\"%s\":\"%s\"}";
        assertDetail(admin.post("/events", event.formatted("venue", randomLetters(201))), 400, "invalid-value", "venue", "200");
        assertDetail(admin.post("/events", event.formatted("description", randomLetters(10_001))), 400, "invalid-value", "description", "10000");
        assertThat(admin.post("/events", event.formatted("description", randomLetters(10_000))).status()).isEqualTo(201);

        String webhook = "{\"id\":\"%s\",\"type\":\"failed\",\"paymentSessionId\":\"" + java.util.UUID.randomUUID()
                + "\",\"providerReference\":\"%s\"}";
        assertDetail(api.webhook(webhook.formatted(randomLetters(3000), "pay_1")), 400, "invalid-value", "id", "255");
        assertDetail(api.webhook(webhook.formatted("evt-long-reference", randomLetters(3000))), 400, "invalid-value", "providerReference", "255");

        // A token's subject and e-mail address key indexes too: a customer cannot send one longer than any address.
        String longEmail = randomLetters(1500) + "@example.com"; // twice in the token (sub and email), under 8 KiB of headers
        String token = TestApplication.token(longEmail, TestApplication.ISSUER, TestApplication.AUDIENCE, Instant.now().plusSeconds(60),
                TestApplication.JWT_SECRET);
        assertDetail(api.anonymous().with("Authorization", "Bearer " + token).with("Idempotency-Key", "long-claims")
                .post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(6) + "\"]}"),
                401, "invalid-token", "'sub' and 'email'", "254");
    }

    @Test
    void words_amounts_and_fields_are_taken_as_written() {
        String sessionId = java.util.UUID.randomUUID().toString();
        for (String type : List.of("SUCCEEDED", " failed", "Failed")) {
            assertProblem(api.webhook("{\"id\":\"evt-case\",\"type\":\"" + type + "\",\"paymentSessionId\":\"" + sessionId + "\"}"),
                    400, "invalid-value");
        }
        for (String amount : List.of("5e1", "+50.00", " 50.00", "50.001", "-0", "123456789.00")) {
            assertDetail(api.webhook(paymentEvent("evt-amount-" + amount.strip(), "succeeded", sessionId, amount)), 400, "invalid-value",
                    "amount", "2 decimals");
        }
        // An event has no version until it exists: sent on create it would be ignored, so it is refused.
        assertProblem(api.admin().post("/events", "{\"title\":\"x\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\",\"version\":3}"),
                400, "unknown-field");
        // The last seat number an int holds is a seat like any other, not an overflow into negative numbers.
        Response last = api.admin().post("/events/" + eventId + "/seats",
                "{\"blocks\":[{\"section\":\"Edge\",\"rows\":[\"A\"],\"firstNumber\":2147483647,\"lastNumber\":2147483647,\"price\":1}]}");
        assertThat(last.status()).as(last.toString()).isEqualTo(201);
        assertThat(last.json().get(0).get("number").asLong()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void a_body_is_one_json_document_each_key_once_each_value_of_its_documented_type() {
        var admin = api.admin();
        String event = "{\"title\":%s,\"startsAt\":\"%s\",\"currency\":\"EUR\"}";
        for (String body : List.of(event.formatted("\"a\"", "2030-01-01T00:00:00Z") + "xyz", event.formatted("\"a\"", "2030-01-01T00:00:00Z") + " {}",
                "{\"title\":\"a\",\"title\":\"b\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\"}",
                event.formatted("true", "2030-01-01T00:00:00Z"), event.formatted("1.5", "2030-01-01T00:00:00Z"))) {
            Response refused = admin.post("/events", body);
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
        assertDetail(admin.post("/events", event.formatted("\"ns\"", "2030-03-01T10:00:00.9999995Z")), 400, "invalid-value", "startsAt", "microsecond");
        // Lengths count characters as PostgreSQL does: 200 emoji are a title of 200 characters, not 400.
        Response emoji = admin.post("/events", event.formatted("\"" + "\uD83D\uDE00".repeat(200) + "\"", "2030-01-01T00:00:00Z"));
        assertThat(emoji.status()).as(emoji.toString()).isEqualTo(201);
    }

    private static String randomLetters(int length) {
        java.util.Random random = new java.util.Random(length);
        StringBuilder letters = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    private static void assertDetail(Response response, int status, String code, String... mentions) {
        assertProblem(response, status, code);
        assertThat(response.json().get("detail").asText()).as(response.toString()).contains(mentions);
    }

    @Test
    void a_malformed_id_is_invalid_id_in_a_path_a_query_or_a_body_and_a_malformed_cursor_invalid_cursor() {
        var admin = api.admin();
        var buyer = api.customer("ids@example.com");

        assertProblem(admin.get("/events/1-2-3-4-5"), 400, "invalid-id"); // UUID.fromString alone would take it
        assertProblem(admin.get("/events/" + eventId.toUpperCase(java.util.Locale.ROOT).replace('-', '_')), 400, "invalid-id");
        assertProblem(admin.get("/admin/audit-log?eventId=nope"), 400, "invalid-id");
        assertProblem(admin.get("/admin/audit-log?entityId=1-2-3-4-5"), 400, "invalid-id");
        assertProblem(buyer.post("/payment-sessions", "{\"eventId\":\"nope\",\"seatIds\":[\"" + seats.get(0) + "\"]}"),
                400, "invalid-id");
        assertProblem(buyer.get("/bookings?after=nope"), 400, "invalid-cursor");
        assertThat(admin.get("/events/" + eventId.toUpperCase(java.util.Locale.ROOT)).status()).as("either case").isEqualTo(200);
        for (String invisible : List.of("%E2%80%8B", "%C2%A0", "%EF%BB%BF")) { // U+200B, U+00A0, U+FEFF
            assertProblem(admin.get("/events/" + invisible + eventId), 400, "invalid-id");
            assertProblem(admin.get("/admin/audit-log?eventId=" + eventId + invisible), 400, "invalid-id");
        }
    }

    @Test
    void a_webhook_currency_with_an_invisible_character_is_refused_not_read_as_the_code() {
        var buyer = api.customer("invisible-currency@example.com");
        String session = buyer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(16) + "\"]}")
                .json().get("id").asText();
        String amount = buyer.get("/payment-sessions/" + session).json().get("amount").get("amount").asText();
        List<String> currencies = List.of("\\u200bEUR", "EUR\\u00a0", " EUR");
        for (int k = 0; k < currencies.size(); k++) {
            String paid = paymentEvent("invisible-currency-" + k, "succeeded", session, amount)
                    .replace("\"EUR\"", "\"" + currencies.get(k) + "\"");
            assertDetail(api.webhook(paid), 400, "invalid-value", "currency must be an ISO 4217 code");
        }
        assertThat(buyer.get("/payment-sessions/" + session).json().get("status").asText()).as("not paid").isEqualTo("OPEN");
    }

    @Test
    void head_is_answered_as_get_with_its_roles_and_without_the_body() throws Exception {
        Response events = head(api.anonymous(), "/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.contentType()).startsWith("application/json");
        assertThat(head(api.anonymous(), "/events/" + eventId).status()).isEqualTo(200);
        assertThat(head(api.anonymous(), "/admin/events").status()).as("an admin route, anonymous").isEqualTo(401);
        assertThat(head(api.customer("head@example.com"), "/admin/events").status()).as("an admin route, a customer").isEqualTo(403);
        assertThat(head(api.admin(), "/admin/events").status()).as("an admin route, an admin").isEqualTo(200);
        assertThat(head(api.anonymous(), "/events/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
        // On the wire, where a client that knows it sent HEAD would drop a body unread: nothing after the headers.
        for (String request : List.of("HEAD /events HTTP/1.1", "HEAD /admin/events HTTP/1.1\r\nX-API-Key: " + api.adminKey)) {
            String answer = rawAnswer(request);
            assertThat(answer).as(request).startsWith("HTTP/1.1 200");
            assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).as(request + ": the body").isEmpty();
        }
    }

    @Test
    void a_credential_an_idempotency_key_or_a_query_parameter_given_twice_is_refused_not_guessed() {
        String customer = TestApplication.customerToken("twice@example.com");
        String other = TestApplication.customerToken("other-twice@example.com");
        for (List<String> tokens : List.of(List.of(customer, "garbage"), List.of("garbage", customer), List.of(customer, other))) {
            Response answer = api.anonymous().sendUnchecked(java.net.http.HttpRequest.newBuilder(uri("/bookings"))
                    .header("Authorization", "Bearer " + tokens.get(0)).header("Authorization", "Bearer " + tokens.get(1)));
            assertProblem(answer, 400, "ambiguous-credentials");
        }
        Response keys = api.anonymous().sendUnchecked(java.net.http.HttpRequest.newBuilder(uri("/admin/events"))
                .header("X-API-Key", "wrong").header("X-API-Key", "wronger"));
        assertProblem(keys, 400, "ambiguous-credentials");
        Response idempotency = api.customer("twice@example.com").sendUnchecked(java.net.http.HttpRequest.newBuilder(uri("/payment-sessions"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "two-a").header("Idempotency-Key", "two-b")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(13) + "\"]}")));
        assertProblem(idempotency, 400, "invalid-idempotency-key");
        var admin = api.admin();
        for (String query : List.of("needsReview=true&limit=5&limit=abc", "needsReview=true&limit=abc&limit=5", "needsReview=true&needsReview=false")) {
            Response twice = admin.get("/admin/bookings?" + query);
            assertProblem(twice, 400, "invalid-value");
            assertThat(twice.json().get("detail").asText()).contains("given 2 times");
        }
        assertProblem(admin.get("/events?limit=%EF%BC%95"), 400, "invalid-limit");
        assertProblem(admin.get("/admin/events?after="), 400, "invalid-cursor");
        assertProblem(admin.get("/admin/audit-log?eventId="), 400, "invalid-id");
        assertProblem(admin.get("/admin/audit-log?before=-1"), 400, "invalid-cursor");
        assertThat(admin.get("/events?limit=5").status()).isEqualTo(200);
    }

    @Test
    void a_query_parameter_the_request_does_not_take_is_refused_not_ignored() {
        var admin = api.admin();
        // A misspelt limit answered with the default would read as the page asked for.
        Response misspelt = api.anonymous().get("/events?limt=5");
        assertProblem(misspelt, 400, "unknown-parameter");
        assertThat(misspelt.json().get("detail").asText()).isEqualTo("Unknown query parameter 'limt': this request takes after, limit.");
        assertProblem(api.anonymous().get("/events?limit=5&x=%00"), 400, "unknown-parameter");
        assertProblem(api.anonymous().get("/events/" + eventId + "?" + "n".repeat(300) + "=1"), 400, "unknown-parameter");
        Response write = admin.post("/events/" + eventId + "/publish?force=true", "");
        assertProblem(write, 400, "unknown-parameter");
        assertThat(write.json().get("detail").asText()).isEqualTo("Unknown query parameter 'force': this request takes none.");
        assertThat(admin.get("/admin/events?includeDeleted=true&limit=2").status()).isEqualTo(200);
        assertThat(api.anonymous().send(java.net.http.HttpRequest.newBuilder(uri("/events?limit=2"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
    }

    @Test
    void a_success_without_the_providers_reference_confirms_nothing_it_could_not_refund() {
        String session = api.customer("no-reference@example.com").post("/payment-sessions",
                "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(14) + "\"]}").json().get("id").asText();
        String amount = api.customer("no-reference@example.com").get("/payment-sessions/" + session).json().get("amount").get("amount").asText();
        Response paid = api.webhook("{\"id\":\"no-ref-1\",\"type\":\"succeeded\",\"paymentSessionId\":\"" + session
                + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\"}");
        assertProblem(paid, 400, "invalid-value");
        assertThat(paid.json().get("detail").asText()).contains("providerReference");
        assertThat(api.customer("no-reference@example.com").get("/payment-sessions/" + session).json().get("status").asText()).isEqualTo("OPEN");
    }

    @Test
    void a_closed_checkout_answers_409_to_seats_it_once_held() {
        var buyer = api.customer("closed-checkout@example.com");
        String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(15) + "\"]}";
        String session = buyer.post("/payment-sessions", body).json().get("id").asText();
        assertThat(buyer.post("/payment-sessions/" + session + "/cancel", "{}").status()).isEqualTo(200);
        assertProblem(buyer.post("/payment-sessions/" + session + "/seats", "{\"seatIds\":[\"" + seats.get(15) + "\"]}"), 409, "checkout-not-open");
    }

    @Test
    void head_of_the_metrics_answers_as_its_get() {
        assertThat(head(api.anonymous(), "/metrics").status()).isEqualTo(api.anonymous().get("/metrics").status()).isEqualTo(200);
    }

    private static java.net.URI uri(String path) {
        return java.net.URI.create("http://127.0.0.1:" + api.port() + path);
    }

    private static Response head(TestApplication.Caller caller, String path) {
        return caller.sendUnchecked(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + api.port() + path))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void a_ticket_code_that_admits_nobody_is_404_without_repeating_the_code() {
        Response unknown = api.staff().post("/tickets/NO-SUCH-CODE-42/check-in", "{\"eventId\":\"" + eventId + "\"}");
        assertProblem(unknown, 404, "not-found");
        assertThat(unknown.json().get("detail").asText()).isEqualTo("No ticket has this code").doesNotContain("NO-S");
    }

    @Test
    void a_method_a_path_lacks_is_405_with_allow() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        for (String method : List.of("TRACE", "PATCH", "DELETE")) {
            var answer = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + api.port() + "/events"))
                    .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(method + " " + answer.body()).isEqualTo(405);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(answer.headers().firstValue("Allow")).as(method).hasValueSatisfying(allow -> assertThat(allow).contains("GET").contains("POST"));
            assertThat(answer.body()).contains("method-not-allowed");
        }
    }

    @Test
    void requests_jetty_refuses_before_any_route_get_problem_json_with_a_request_id() throws Exception {
        for (String requestLine : List.of("GET /events/%00 HTTP/1.1", "GET /events/../../etc/passwd HTTP/1.1", "GET /events/%C3%28 HTTP/1.1",
                "GET /events/../events HTTP/1.1", "GET /events/./x HTTP/1.1", "GET /events/%2E%2e/events HTTP/1.1", "GET /events/.. HTTP/1.1",
                "GET /events HTTP/1.1\r\nX-Odd: a\u0001b", "PUT /events/%FF HTTP/1.1", "DELETE /events/%00 HTTP/1.1",
                "PATCH /events HTTP/1.1\r\nX-Odd: a\u0001b", "OPTIONS /events/%C3%28 HTTP/1.1")) {
            String answer = rawAnswer(requestLine);
            String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT);
            assertThat(answer).as(requestLine).startsWith("HTTP/1.1 400");
            assertThat(head).as(requestLine + "\n" + answer).contains("content-type: application/problem+json").contains("x-request-id: ");
            assertThat(answer).as(requestLine).contains("\"code\":\"bad-request\"").doesNotContain("<html");
        }
    }

    @Test
    void a_body_that_is_not_utf_8_is_malformed_and_a_charset_other_than_utf_8_unsupported() {
        String event = "{\"title\":\"Gala%s\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\"}";
        String json = event.formatted("");
        byte[] utf32 = json.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
        byte[] utf32WithBom = new byte[utf32.length + 4];
        System.arraycopy(new byte[]{0, 0, (byte) 0xFE, (byte) 0xFF}, 0, utf32WithBom, 0, 4);
        System.arraycopy(utf32, 0, utf32WithBom, 4, utf32.length);
        java.util.Map<String, byte[]> bodies = new java.util.LinkedHashMap<>();
        bodies.put("UTF-16 with a BOM", json.getBytes(StandardCharsets.UTF_16));
        bodies.put("UTF-16BE", json.getBytes(StandardCharsets.UTF_16BE));
        bodies.put("UTF-16LE", json.getBytes(StandardCharsets.UTF_16LE));
        bodies.put("UTF-32BE", utf32);
        bodies.put("UTF-32 with a BOM", utf32WithBom);
        bodies.put("UTF-32LE", json.getBytes(java.nio.charset.Charset.forName("UTF-32LE")));
        // Jackson read C0 80 as a NUL character (400 invalid-value) and an encoded surrogate as half a pair.
        bodies.put("an overlong NUL", withBytes(event, 0xC0, 0x80));
        bodies.put("an overlong slash", withBytes(event, 0xE0, 0x80, 0xAF));
        bodies.put("an encoded surrogate", withBytes(event, 0xED, 0xA0, 0x80));
        bodies.put("a lone continuation byte", withBytes(event, 0x80));
        bodies.put("a byte UTF-8 never has", withBytes(event, 0xFF));
        bodies.put("a sequence cut short", withBytes(event, 0xE2, 0x82));
        bodies.forEach((what, body) -> {
            Response refused = postBytes("application/json", body);
            assertProblem(refused, 400, "malformed-body");
            assertThat(refused.json().get("detail").asText()).as(what).isEqualTo("The body is not valid UTF-8: send JSON in UTF-8.");
        });
        for (String charset : List.of("utf-16", "UTF-32", "iso-8859-1", "us-ascii")) {
            Response refused = postBytes("application/json; charset=" + charset, json.getBytes(java.nio.charset.Charset.forName(charset)));
            assertProblem(refused, 415, "unsupported-media-type");
            assertThat(refused.json().get("detail").asText()).as(charset).isEqualTo("Send the body as application/json in UTF-8.");
        }
        for (String type : List.of("application/json; charset=utf-8", "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"")) {
            Response created = postBytes(type, event.formatted(" \u00e9\u20ac\ud83c\udfab").getBytes(StandardCharsets.UTF_8));
            assertThat(created.status()).as(type + ": " + created).isEqualTo(201);
            assertThat(created.json().get("title").asText()).isEqualTo("Gala \u00e9\u20ac\ud83c\udfab");
        }
    }

    /** {@code template} in UTF-8 with {@code bytes} where its %s is. */
    private static byte[] withBytes(String template, int... bytes) {
        String[] halves = template.split("%s", 2);
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(halves[0].getBytes(StandardCharsets.UTF_8));
        for (int b : bytes) {
            out.write(b);
        }
        out.writeBytes(halves[1].getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Response postBytes(String contentType, byte[] body) {
        return api.admin().send(java.net.http.HttpRequest.newBuilder(uri("/events")).header("Content-Type", contentType)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void a_transfer_coding_other_than_chunked_is_refused_not_read_as_plain_chunked() throws Exception {
        String body = "{\"title\":\"Chunked\",\"startsAt\":\"2030-01-01T00:00:00Z\",\"currency\":\"EUR\"}";
        String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        String post = "POST /events HTTP/1.1\r\nX-API-Key: " + api.adminKey + "\r\nContent-Type: application/json\r\n";
        for (String coding : List.of("Transfer-Encoding: gzip, chunked", "Transfer-Encoding: deflate,chunked", "Transfer-Encoding: x-mine, chunked",
                "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked", "Transfer-Encoding: identity, chunked")) {
            String answer = rawAnswer(post + coding, chunked);
            assertThat(answer).as(coding).startsWith("HTTP/1.1 501").contains("\"code\":\"unsupported-transfer-coding\"")
                    .contains("\"title\":\"Not Implemented\"").contains("application/problem+json");
            TestApplication.assertDocumented("POST", "/events", answer);
        }
        assertThat(rawAnswer(post + "Transfer-Encoding: chunked", chunked)).as("chunked alone").startsWith("HTTP/1.1 201");
    }

    /** The whole answer to a request line (and headers) sent as written, without a body, on a connection of its own. */
    private static String rawAnswer(String requestLineAndHeaders) throws java.io.IOException {
        return rawAnswer(requestLineAndHeaders, "");
    }

    /** The whole answer to a request line (and headers) and a body sent as written, on a connection of its own. */
    private static String rawAnswer(String requestLineAndHeaders, String body) throws java.io.IOException {
        try (var socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.getOutputStream().write((requestLineAndHeaders + "\r\nHost: localhost\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_body_declared_larger_than_the_limit_is_refused_on_its_header_without_waiting_for_it() throws Exception {
        String answer;
        try (var socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000); // the server's idle timeout is 30 s: an answer within 10 s did not wait for the body
            socket.getOutputStream().write(("POST /events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + api.adminKey
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":\"request-too-large\"");
    }

    /** RFC 9110's phrase of each status: the one title a problem of that status has, whoever refused. */
    private static final java.util.Map<Integer, String> TITLES = java.util.Map.ofEntries(java.util.Map.entry(400, "Bad Request"),
            java.util.Map.entry(401, "Unauthorized"), java.util.Map.entry(403, "Forbidden"), java.util.Map.entry(404, "Not Found"),
            java.util.Map.entry(405, "Method Not Allowed"), java.util.Map.entry(409, "Conflict"),
            java.util.Map.entry(413, "Content Too Large"), java.util.Map.entry(415, "Unsupported Media Type"),
            java.util.Map.entry(422, "Unprocessable Content"), java.util.Map.entry(501, "Not Implemented"),
            java.util.Map.entry(503, "Service Unavailable"));

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.json().get("title").asText()).as(response.toString()).isEqualTo(TITLES.get(status));
        if (code != null) {
            assertThat(response.json().get("code").asText()).as(response.toString()).isEqualTo(code);
        }
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
