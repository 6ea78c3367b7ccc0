package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request says is taken as it says it, or refused with a 4xx that says why, and refused before it
 * changes anything: the media type of a body (whole, not its first letters), a body sent to a write that
 * reads none, a yes/no query parameter, a line of text, and an event a customer may not see.
 */
class ApiInputRulesTest {

    private static final String EVENT = "{\"title\":\"%s\",\"startsAt\":\"2031-01-01T20:00:00Z\",\"currency\":\"EUR\"}";

    @AutoClose
    private static final TestApplication api = TestApplication.start();

    @Test
    void a_body_is_json_only_when_its_one_content_type_says_exactly_application_json_in_utf_8() {
        List<String> refused = List.of("application/jsonfoo", "application/json-patch+json", "application/json/text",
                "application/json+xml", "application/json, text/plain", "application/json; charset=utf-8; charset=latin1",
                "application/json; charset=utf-8, text/plain", "application/json; boundary=x", "application/json; charset=\"latin1\"",
                "text/plain", "application/x-json");
        for (int i = 0; i < refused.size(); i++) {
            String type = refused.get(i);
            assertRefused(postEvent("Refused " + i, type), 415, "unsupported-media-type", type);
        }
        Response twoHeaders = api.admin().send(newEvent("Refused twice").header("Content-Type", "application/json")
                .header("Content-Type", "text/plain"));
        assertRefused(twoHeaders, 415, "unsupported-media-type", "two Content-Type headers");
        assertThat(api.admin().get("/admin/events?limit=100").json().findValuesAsText("title")).as("nothing was created")
                .noneMatch(title -> title.startsWith("Refused"));

        List<String> accepted = List.of("application/json", "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"",
                "Application/JSON; Charset=Utf-8", "application/json ;charset=utf-8");
        for (String type : accepted) {
            Response created = postEvent("Accepted", type);
            assertThat(created.status()).as(type + ": " + created).isEqualTo(201);
        }
    }

    @Test
    void a_write_that_takes_no_body_refuses_one_that_is_not_json_and_changes_nothing() {
        var admin = api.admin();
        String draft = admin.post("/events", EVENT.formatted("Draft to publish")).json().get("id").asText();
        String publish = "/events/" + draft + "/publish";

        assertRefused(admin.send(bodyOf("POST", "/analytics/sales/refresh", "text/plain", "hello")), 415, "unsupported-media-type", "refresh");
        assertRefused(admin.send(bodyOf("POST", publish, "text/plain", "hello")), 415, "unsupported-media-type", "publish");
        assertRefused(admin.send(bodyOf("DELETE", "/events/" + draft, "text/plain", "hello")), 415, "unsupported-media-type", "delete");
        assertRefused(admin.send(bodyOf("POST", publish, "application/json", "hello")), 400, "malformed-body", "publish, not JSON");
        Response unchanged = admin.get("/events/" + draft);
        assertThat(unchanged.json().get("status").asText()).as("neither published").isEqualTo("DRAFT");
        assertThat(unchanged.json().get("deleted").asBoolean()).as("nor deleted").isFalse();

        Response published = admin.send(bodyOf("POST", publish, "application/json", "{}"));
        assertThat(published.status()).as("an empty JSON object, as before: " + published).isEqualTo(200);
        Response refreshed = admin.send(HttpRequest.newBuilder(uri("/analytics/sales/refresh")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(refreshed.status()).as("no body and no Content-Type, as before: " + refreshed).isEqualTo(200);
    }

    @Test
    void an_empty_yes_or_no_query_parameter_is_neither_true_nor_false() {
        assertRefused(api.admin().get("/admin/events?includeDeleted="), 400, "invalid-value", "includeDeleted");
        assertRefused(api.admin().get("/analytics/sales?refresh="), 400, "invalid-value", "refresh");
        assertThat(api.admin().get("/analytics/sales?refresh=false").status()).isEqualTo(200);
    }

    @Test
    void a_customer_checking_out_an_event_they_may_not_see_is_told_it_does_not_exist() {
        var admin = api.admin();
        String draft = admin.post("/events", EVENT.formatted("Hidden draft")).json().get("id").asText();
        assertThat(admin.post("/events/" + draft + "/seats",
                "{\"blocks\":[{\"section\":\"A\",\"rows\":[\"1\"],\"firstNumber\":1,\"lastNumber\":2,\"price\":10}]}").status()).isEqualTo(201);
        List<String> draftSeats = admin.get("/events/" + draft + "/seats").json().findValuesAsText("id");
        String deleted = publishedEventWithSeats(api, 1, 2);
        List<String> deletedSeats = availableSeatIds(api, deleted);
        assertThat(admin.delete("/events/" + deleted).status()).isEqualTo(200);
        var buyer = api.customer("hidden-events@example.com");

        String unknown = UUID.randomUUID().toString();
        Response notFound = buyer.post("/payment-sessions", checkout(unknown, draftSeats));
        assertRefused(notFound, 404, "not-found", "an unknown event");
        for (String[] hidden : List.of(new String[]{draft, draftSeats.get(0)}, new String[]{deleted, deletedSeats.get(0)})) {
            assertRefused(buyer.get("/events/" + hidden[0]), 404, "not-found", "reading it");
            Response refused = buyer.post("/payment-sessions", checkout(hidden[0], List.of(hidden[1])));
            assertRefused(refused, 404, "not-found", "checking out " + hidden[0]);
            assertThat(refused.json().get("detail").asText()).as("worded as for an unknown event")
                    .isEqualTo(notFound.json().get("detail").asText().replace(unknown, hidden[0]));
        }
        assertThat(admin.get("/events/" + draft + "/seats").json().findValuesAsText("id")).as("no seat held").isEqualTo(draftSeats);
    }

    @Test
    void a_line_or_paragraph_separator_breaks_one_line_as_other_line_breaks_do() {
        var admin = api.admin();
        String event = publishedEventWithSeats(api, 1, 1);
        for (String separator : List.of("\\u2028", "\\u2029", "\\u0085")) {
            assertRefused(admin.post("/events", EVENT.formatted("Two" + separator + "lines")), 400, "invalid-value", "title " + separator);
            assertRefused(admin.post("/events/" + event + "/seats", "{\"blocks\":[{\"section\":\"B" + separator
                    + "C\",\"rows\":[\"1\"],\"firstNumber\":1,\"lastNumber\":1,\"price\":10}]}"), 400, "invalid-value", "section " + separator);
            assertRefused(admin.post("/events/" + event + "/seats", "{\"blocks\":[{\"section\":\"D\",\"rows\":[\"1" + separator
                    + "2\"],\"firstNumber\":1,\"lastNumber\":1,\"price\":10}]}"), 400, "invalid-value", "row " + separator);
        }
        assertThat(admin.post("/events", EVENT.formatted("One line \\u00b7 still")).status()).isEqualTo(201);
    }

    private static String checkout(String eventId, List<String> seatIds) {
        return "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + String.join("\",\"", seatIds) + "\"]}";
    }

    private static Response postEvent(String title, String contentType) {
        return api.admin().send(newEvent(title).header("Content-Type", contentType));
    }

    private static HttpRequest.Builder newEvent(String title) {
        return HttpRequest.newBuilder(uri("/events")).POST(HttpRequest.BodyPublishers.ofString(EVENT.formatted(title)));
    }

    private static HttpRequest.Builder bodyOf(String method, String path, String contentType, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    private static void assertRefused(Response response, int status, String code, String what) {
        assertThat(response.status()).as(what + ": " + response).isEqualTo(status);
        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        assertThat(response.json().get("code").asText()).as(what + ": " + response).isEqualTo(code);
    }
}
