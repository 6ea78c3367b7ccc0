package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.TicketCode;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.RecordingRefundProvider;
import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.LegacyDataGenerator;
import io.ticketing.migration.legacy.LegacyImporter;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrated data is first-class: a dirty legacy database made by the project's generator, imported with
 * {@code legacy import}, then served by the API. A legacy customer walks the README's tour on the
 * bookings, tickets and seats the import brought over (none of which has a checkout of its own), and an
 * admin works the list of bookings marked for review. Every answer is checked against openapi.yaml.
 */
class MigratedCustomerFlowTest {

    private static final int SEATS = 3_000;
    private static final long SEED = 7;
    private static final String ODD_SESSION = "odd-session-without-seats";

    private static final RecordingRefundProvider PROVIDER = new RecordingRefundProvider();

    private static TestDatabase database;
    private static TestApplication api;
    /** A legacy user whose address was stored pasted, behind a no-break space; the address as they type it. */
    private static String pastedUser;
    private static String typedEmail;
    /** A legacy user whose address no new customer could register, as the legacy app let them keep it. */
    private static String oddAddressUser;
    private static final String ODD_ADDRESS = "two@at@example.com";

    @BeforeAll
    static void importTheLegacyDatabaseAndServeIt() throws SQLException {
        database = TestPostgres.freshDatabase("legacy-dirty-served", d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                LegacyDataGenerator.generate(connection, SEATS, SEED);
            }
        });
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            // Rows the import migrates as they are, although the domain would not accept them from a user today.
            statement.execute("""
                    INSERT INTO "User" (id, email, name, "updatedAt") VALUES ('odd-user-1', 'odd.name@', '', now());
                    INSERT INTO "Event" (id, title, "startDate", "endDate", status, "updatedAt")
                    VALUES ('odd-event-1', repeat('A very long title ', 15), timestamp '2031-01-01 20:00', timestamp '2031-01-01 20:00',
                            'published', now())""");
            // A second checkout of a paid booking, completed but without seats: legacy checkouts point at their booking.
            statement.execute("""
                    INSERT INTO "PaymentSession" (id, "userId", "eventId", "bookingId", amount, status, "expiresAt", "updatedAt")
                    SELECT '%s', b."userId", b."eventId", b.id, b."totalAmount", 'completed', b."createdAt", b."updatedAt"
                      FROM "Booking" b WHERE b.status = 'confirmed' AND EXISTS (SELECT 1 FROM "Ticket" t WHERE t."bookingId" = b.id)
                     ORDER BY b.id LIMIT 1""".formatted(ODD_SESSION));
            try (ResultSet rows = statement.executeQuery("""
                    SELECT u.id, u.email FROM "User" u WHERE u.email ~ '^user[0-9]+@example[.]com$'
                       AND NOT EXISTS (SELECT 1 FROM "User" o WHERE o.id <> u.id AND lower(o.email) = lower(u.email))
                       AND (SELECT count(*) FROM "Booking" b WHERE b."userId" = u.id AND b.status = 'confirmed') >= 2
                     ORDER BY u.id DESC LIMIT 2""")) {
                assertThat(rows.next()).isTrue();
                pastedUser = rows.getString(1);
                typedEmail = rows.getString(2);
                assertThat(rows.next()).isTrue();
                oddAddressUser = rows.getString(1);
            }
            statement.execute("UPDATE \"User\" SET email = chr(160) || email WHERE id = '" + pastedUser + "'");
            statement.execute("UPDATE \"User\" SET email = '" + ODD_ADDRESS + "' WHERE id = '" + oddAddressUser + "'");
        }
        // The import keeps session state (its lock, a temporary table): past the pooler, as `legacy import` goes.
        new LegacyImporter(TestPostgres.direct(database).dataSource(), ImportOptions.defaults(), new PrintStream(OutputStream.nullOutputStream())).run();
        api = TestApplication.startOn(database, PROVIDER);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void a_migrated_customer_walks_the_tour_on_migrated_bookings_tickets_and_seats() throws Exception {
        // A legacy user with two paid migrated bookings whose tickets are all still valid.
        Map<String, Object> pick = row("""
                SELECT c.email, min(b.id::text) AS first, max(b.id::text) AS second FROM ticketing.booking b
                  JOIN ticketing.customer c ON c.id = b.customer_id
                 WHERE b.status = 'CONFIRMED' AND b.legacy_id IS NOT NULL AND b.payment_session_id IS NULL AND b.review_reason IS NULL
                   AND (SELECT count(*) FROM ticketing.ticket t WHERE t.booking_id = b.id AND t.status = 'VALID') >= 2
                   AND NOT EXISTS (SELECT 1 FROM ticketing.ticket t WHERE t.booking_id = b.id AND t.status <> 'VALID')
                 GROUP BY c.email HAVING count(*) >= 2 ORDER BY c.email LIMIT 1""");
        String email = (String) pick.get("email");
        String kept = (String) pick.get("first");
        String refunded = (String) pick.get("second");
        var customer = api.customer(email);

        // Their bookings list shows the migrated bookings, without a checkout of their own.
        JsonNode mine = customer.get("/bookings?limit=100").json().get("items");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        mine.forEach(booking -> byId.put(booking.get("id").asText(), booking));
        assertThat(byId).containsKeys(kept, refunded);
        assertThat(byId.values()).allSatisfy(booking -> assertThat(booking.has("reviewReason")).isFalse());
        assertThat(byId.get(kept).get("paymentSessionId").isNull()).isTrue();
        assertThat(byId.get(kept).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(mine.size()).isEqualTo(count("SELECT count(*) FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id "
                + "WHERE c.email = ?", email));

        // One booking, its seats and its tickets: the codes the legacy app printed.
        Response booking = customer.get("/bookings/" + kept);
        assertThat(booking.status()).as(booking.toString()).isEqualTo(200);
        assertThat(booking.json().get("total").get("amount").asText()).isEqualTo(text(
                "SELECT total_amount::text FROM ticketing.booking WHERE id = ?::uuid", kept));
        String eventId = booking.json().get("eventId").asText();
        List<String> keptSeats = booking.json().get("seats").findValuesAsText("seatId");
        assertThat(customer.get("/bookings/" + kept + "/seats").json().findValuesAsText("status")).hasSize(keptSeats.size()).containsOnly("BOOKED");
        JsonNode tickets = customer.get("/bookings/" + kept + "/tickets").json();
        assertThat(tickets.findValuesAsText("status")).hasSize(keptSeats.size()).containsOnly("VALID");
        assertThat(tickets.findValuesAsText("code")).allSatisfy(code -> assertThat(code).startsWith("TK-"));

        // The door checks a migrated ticket in, once.
        String code = tickets.get(0).get("code").asText();
        long checkedInBefore = api.admin().get("/events/" + eventId + "/stats").json().get("ticketsCheckedIn").asLong();
        assertThat(customer.get("/tickets/" + code).json().get("status").asText()).isEqualTo("VALID");
        Response checkIn = api.staff().post("/tickets/" + code + "/check-in", "{\"eventId\":\"" + eventId + "\"}");
        assertThat(checkIn.status()).as(checkIn.toString()).isEqualTo(200);
        assertThat(checkIn.json().get("status").asText()).isEqualTo("USED");
        Response again = api.admin().post("/tickets/" + code + "/check-in", "{\"eventId\":\"" + eventId + "\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("ticket-already-used");
        assertThat(api.admin().get("/events/" + eventId + "/stats").json().get("ticketsCheckedIn").asLong()).isEqualTo(checkedInBefore + 1);

        // Cancelling the other migrated booking cancels its tickets, owes its refund and frees its seats.
        JsonNode toRefund = customer.get("/bookings/" + refunded).json();
        String refundEvent = toRefund.get("eventId").asText();
        List<String> freed = toRefund.get("seats").findValuesAsText("seatId");
        String total = toRefund.get("total").get("amount").asText();
        JsonNode statsBefore = api.admin().get("/events/" + refundEvent + "/stats").json();
        var cancelling = customer.with("Idempotency-Key", "refund-" + refunded);
        Response cancelled = cancelling.post("/bookings/" + refunded + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().get("paymentSessionId").isNull()).isTrue();
        Response replayed = cancelling.post("/bookings/" + refunded + "/cancel", "");
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.json()).isEqualTo(cancelled.json());
        assertThat(customer.get("/bookings/" + refunded + "/tickets").json().findValuesAsText("status"))
                .hasSize(freed.size()).containsOnly("CANCELLED");
        assertThat(TicketingFlowTest.availableSeatIds(api, refundEvent)).containsAll(freed);
        JsonNode statsAfter = api.admin().get("/events/" + refundEvent + "/stats").json();
        assertThat(statsAfter.get("bookedSeats").asLong()).isEqualTo(statsBefore.get("bookedSeats").asLong() - freed.size());
        assertThat(statsAfter.get("availableSeats").asLong()).isEqualTo(statsBefore.get("availableSeats").asLong() + freed.size());
        assertThat(statsAfter.get("ticketsSold").asLong()).isEqualTo(statsBefore.get("ticketsSold").asLong() - freed.size());
        assertThat(statsAfter.get("confirmedBookings").asLong()).isEqualTo(statsBefore.get("confirmedBookings").asLong() - 1);
        assertThat(new java.math.BigDecimal(statsAfter.get("refunds").get("amount").asText()))
                .isEqualByComparingTo(new java.math.BigDecimal(statsBefore.get("refunds").get("amount").asText()).add(new java.math.BigDecimal(total)));

        // The refund goes to the provider through the legacy checkout that paid for the booking, with its reference;
        // the provider's report on that checkout makes the tickets REFUNDED.
        String legacyPayment = text("SELECT id::text FROM ticketing.payment_session WHERE booking_id = ?::uuid"
                + " AND status = 'SUCCEEDED' AND provider_ref IS NOT NULL", refunded);
        assertThat(awaitSentRefund(refunded)).isEqualTo("SENT " + legacyPayment);
        assertThat(PROVIDER.refunded()).filteredOn(refund -> refund.idempotencyKey().equals("refund-" + refunded))
                .singleElement().satisfies(refund -> {
                    assertThat(refund.providerPaymentRef()).isEqualTo(
                            text("SELECT provider_ref FROM ticketing.payment_session WHERE id = ?::uuid", legacyPayment));
                    assertThat(refund.amount().amount()).isEqualByComparingTo(total);
                });
        Response refundReport = api.webhook("{\"id\":\"evt-migrated-refunded\",\"type\":\"refunded\",\"paymentSessionId\":\""
                + legacyPayment + "\",\"amount\":\"" + total + "\",\"currency\":\"EUR\",\"providerReference\":\"re_migrated\"}");
        assertThat(refundReport.status()).as(refundReport.toString()).isEqualTo(200);
        assertThat(refundReport.json().get("refund").get("bookingId").asText()).isEqualTo(refunded);
        assertThat(customer.get("/bookings/" + refunded + "/tickets").json().findValuesAsText("status"))
                .hasSize(freed.size()).containsOnly("REFUNDED");

        // A freed seat is for sale again: a new customer checks it out and pays.
        var newcomer = api.customer("newcomer@example.com");
        Response opened = newcomer.post("/payment-sessions", "{\"eventId\":\"" + refundEvent + "\",\"seatIds\":[\"" + freed.get(0) + "\"]}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        String amount = opened.json().get("amount").get("amount").asText();
        Response paid = api.webhook("{\"id\":\"evt-migrated-1\",\"type\":\"succeeded\",\"paymentSessionId\":\"" + opened.json().get("id").asText()
                + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\",\"providerReference\":\"pi_migrated_1\"}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        assertThat(paid.json().get("booking").get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(paid.json().get("tickets").findValuesAsText("seatId")).containsExactly(freed.get(0));
        assertThat(api.admin().get("/events/" + refundEvent + "/stats").json().get("bookedSeats").asLong())
                .isEqualTo(statsAfter.get("bookedSeats").asLong() + 1);

        // An admin reads the migrated booking too; with nothing to review it carries no reviewReason.
        Response asAdmin = api.admin().get("/bookings/" + kept);
        assertThat(asAdmin.status()).isEqualTo(200);
        assertThat(asAdmin.json().get("customerId").asText()).isEqualTo(booking.json().get("customerId").asText());
        assertThat(asAdmin.json().has("reviewReason")).isFalse();
        assertThat(api.customer("someone-else@example.com").get("/bookings/" + kept).status()).isEqualTo(404);
    }

    @Test
    void a_customer_whose_legacy_email_was_pasted_with_a_no_break_space_signs_in_with_the_one_they_type_and_sees_their_bookings()
            throws SQLException {
        List<String> migrated = new ArrayList<>();
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT b.id::text FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id WHERE c.legacy_id = ?")) {
            statement.setString(1, pastedUser);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    migrated.add(rows.getString(1));
                }
            }
        }

        JsonNode mine = api.customer(typedEmail).get("/bookings?limit=100").json().get("items");

        List<String> seen = new ArrayList<>();
        mine.forEach(booking -> seen.add(booking.get("id").asText()));
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2).containsExactlyInAnyOrderElementsOf(migrated);
        assertThat(count("SELECT count(*) FROM ticketing.customer WHERE email = ?", typedEmail)).isOne();
    }

    @Test
    void a_customer_whose_legacy_address_no_new_customer_could_register_signs_in_with_it_sees_their_bookings_and_buys()
            throws SQLException {
        List<String> migrated = ids("""
                SELECT b.id FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id
                 WHERE c.legacy_id = '%s'""".formatted(oddAddressUser)).stream().map(UUID::toString).toList();
        var customer = api.customer(ODD_ADDRESS);

        Response list = customer.get("/bookings?limit=100");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<String> seen = new ArrayList<>();
        list.json().get("items").forEach(booking -> seen.add(booking.get("id").asText()));
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2).containsExactlyInAnyOrderElementsOf(migrated);
        Response one = customer.get("/bookings/" + migrated.get(0));
        assertThat(one.status()).as(one.toString()).isEqualTo(200);

        // A write finds the same account: no second customer, and the checkout is theirs.
        String eventId = api.anonymous().get("/events?limit=1").json().get("items").get(0).get("id").asText();
        List<String> available = TicketingFlowTest.availableSeatIds(api, eventId);
        Response opened = customer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + available.get(0) + "\"]}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        assertThat(count("SELECT count(*) FROM ticketing.customer WHERE email = ?", ODD_ADDRESS)).isOne();
        assertThat(text("SELECT c.legacy_id FROM ticketing.payment_session p JOIN ticketing.customer c ON c.id = p.customer_id WHERE p.id = ?::uuid",
                opened.json().get("id").asText())).isEqualTo(oddAddressUser);

        // Such an address that nobody has is no sign-in: the token is refused, as before the migration.
        Response stranger = api.customer("three@at@example.com").get("/bookings");
        assertThat(stranger.status()).as(stranger.toString()).isEqualTo(401);
        assertThat(stranger.json().get("code").asText()).isEqualTo("invalid-token");
    }

    @Test
    void migrated_events_are_upcoming_and_a_customers_new_booking_heads_their_list() throws SQLException {
        // The generator dates its events from the day it runs: as migrated, they are the upcoming events, soonest first.
        JsonNode upcoming = api.anonymous().get("/events?limit=100").json().get("items");
        assertThat(upcoming.size()).isPositive();
        assertThat(upcoming.get(0).get("id").asText()).isEqualTo(row("""
                SELECT id::text FROM ticketing.event WHERE legacy_id IS NOT NULL AND status = 'PUBLISHED' AND starts_at > now()
                 ORDER BY starts_at, id LIMIT 1""").get("id"));

        // A legacy customer's bookings, newest first by when they were made, page after page.
        String email = (String) row("""
                SELECT c.email FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id
                 WHERE c.legacy_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM ticketing.payment_session p WHERE p.customer_id = c.id AND p.status IN ('OPEN', 'PROCESSING'))
                 GROUP BY c.email HAVING count(*) >= 3 ORDER BY c.email DESC LIMIT 1""").get("email");
        var customer = api.customer(email);
        List<String> seen = pagesOfTwo(customer);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(3).containsExactlyElementsOf(bookingsNewestFirst(email));

        // A booking they make now heads the list: the README's `jq -r '.items[0].id'` picks it.
        String eventId = upcoming.get(0).get("id").asText();
        List<String> available = TicketingFlowTest.availableSeatIds(api, eventId);
        assertThat(available).isNotEmpty();
        String seat = available.get(available.size() - 1);
        Response opened = customer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seat + "\"]}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        Response paid = api.webhook("{\"id\":\"evt-newest-1\",\"type\":\"succeeded\",\"paymentSessionId\":\"" + opened.json().get("id").asText()
                + "\",\"amount\":\"" + opened.json().get("amount").get("amount").asText() + "\",\"currency\":\"EUR\",\"providerReference\":\"pi_newest_1\"}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        String made = paid.json().get("booking").get("id").asText();

        assertThat(customer.get("/bookings").json().get("items").get(0).get("id").asText()).isEqualTo(made);
        assertThat(pagesOfTwo(customer)).containsExactlyElementsOf(bookingsNewestFirst(email)).first().isEqualTo(made);
    }

    private static List<String> pagesOfTwo(TestApplication.Caller customer) {
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = customer.get("/bookings?limit=2" + (after == null ? "" : "&after=" + after)).json();
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            after = page.get("nextAfter").isNull() ? null : page.get("nextAfter").asText();
        } while (after != null);
        return seen;
    }

    private static List<String> bookingsNewestFirst(String email) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement("""
                SELECT b.id::text FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id
                 WHERE c.email = ? ORDER BY b.created_at DESC, b.id DESC""")) {
            statement.setString(1, email);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    @Test
    void a_booking_the_import_issued_a_ticket_for_serves_both_its_tickets_at_the_door() throws SQLException {
        // A confirmed legacy booking whose ticket of one seat was quarantined, next to a valid ticket of another seat.
        Map<String, Object> pick = row("""
                SELECT c.email, b.id::text AS booking, b.event_id::text AS event,
                       (SELECT t.code FROM ticketing.ticket t WHERE t.event_id = b.event_id AND t.booking_id = b.id
                           AND t.legacy_id IS NOT NULL AND t.status = 'VALID' ORDER BY t.code LIMIT 1) AS migrated,
                       (SELECT t.code FROM ticketing_import.issued_ticket it JOIN ticketing.ticket t ON t.event_id = it.event_id AND t.id = it.ticket_id
                         WHERE it.event_id = b.event_id AND it.booking_id = b.id ORDER BY t.code LIMIT 1) AS issued
                  FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id
                 WHERE b.status = 'CONFIRMED'
                   AND EXISTS (SELECT 1 FROM ticketing_import.issued_ticket it WHERE it.event_id = b.event_id AND it.booking_id = b.id)
                   AND EXISTS (SELECT 1 FROM ticketing.ticket t WHERE t.event_id = b.event_id AND t.booking_id = b.id
                                  AND t.legacy_id IS NOT NULL AND t.status = 'VALID')
                 ORDER BY b.id LIMIT 1""");
        var customer = api.customer((String) pick.get("email"));
        String event = (String) pick.get("event");

        JsonNode tickets = customer.get("/bookings/" + pick.get("booking") + "/tickets").json();
        assertThat(tickets.findValuesAsText("code")).contains((String) pick.get("migrated"), (String) pick.get("issued"));
        assertThat(tickets.findValuesAsText("status")).containsOnly("VALID");
        for (String code : List.of((String) pick.get("migrated"), (String) pick.get("issued"))) {
            Response checkIn = api.staff().post("/tickets/" + code + "/check-in", "{\"eventId\":\"" + event + "\"}");
            assertThat(checkIn.status()).as(code + ": " + checkIn).isEqualTo(200);
            assertThat(checkIn.json().get("status").asText()).isEqualTo("USED");
        }
    }

    @Test
    void a_legacy_user_whose_address_was_in_mixed_case_signs_in_with_it_in_lower_case() throws SQLException {
        String legacyUser = text("SELECT id FROM \"User\" WHERE email = ?", "User7@Example.COM");
        List<String> theirs = new ArrayList<>();
        try (Connection connection = database.connect(); var statement = connection.prepareStatement("""
                SELECT b.id::text FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id
                 WHERE c.legacy_id = ? ORDER BY b.id""")) {
            statement.setString(1, legacyUser);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    theirs.add(rows.getString(1));
                }
            }
        }
        assertThat(theirs).isNotEmpty();

        JsonNode mine = api.customer("user7@example.com").get("/bookings?limit=100").json().get("items");

        assertThat(mine.findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(theirs);
    }

    @Test
    void a_completed_legacy_checkout_without_seats_shows_the_booking_it_paid() throws SQLException {
        Map<String, Object> session = row("""
                SELECT p.id::text AS id, c.email, p.booking_id::text AS booking FROM ticketing.payment_session p
                  JOIN ticketing.customer c ON c.id = p.customer_id WHERE p.legacy_id = '%s'""".formatted(ODD_SESSION));

        Response checkout = api.customer((String) session.get("email")).get("/payment-sessions/" + session.get("id"));

        assertThat(checkout.status()).as(checkout.toString()).isEqualTo(200);
        assertThat(checkout.json().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(checkout.json().get("seatIds")).isEmpty();
        Response reported = api.webhook("{\"id\":\"evt-odd-1\",\"type\":\"succeeded\",\"paymentSessionId\":\"" + session.get("id")
                + "\",\"amount\":\"" + checkout.json().get("amount").get("amount").asText() + "\",\"currency\":\"EUR\"}");
        assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
        assertThat(reported.json().get("booking").get("id").asText()).isEqualTo(session.get("booking"));
    }

    @Test
    void an_admin_lists_the_bookings_marked_for_review_sees_why_and_clears_the_mark() throws SQLException {
        // The import marked the bookings it migrated without some of their seats, and those it issued a ticket for.
        Map<String, String> reasons = new HashMap<>();
        List<String> oldestFirst = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id::text, review_reason FROM ticketing.booking WHERE review_reason IS NOT NULL ORDER BY created_at, id")) {
            while (rows.next()) {
                oldestFirst.add(rows.getString(1));
                reasons.put(rows.getString(1), rows.getString(2));
            }
        }
        String issued = "ticket issued by the import for a seat the legacy booking had no valid ticket for";
        assertThat(reasons.values()).contains("1 of 2 seats quarantined: seat already claimed", "1 of 2 seats quarantined: unknown seat; " + issued)
                .filteredOn(reason -> !reason.startsWith("1 of 2 seats quarantined: ")).isNotEmpty().containsOnly(issued);

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = api.admin().get("/admin/bookings?needsReview=true&limit=1" + (after == null ? "" : "&after=" + after)).json();
            page.get("items").forEach(item -> {
                seen.add(item.get("id").asText());
                assertThat(item.get("reviewReason").asText()).isEqualTo(reasons.get(item.get("id").asText()));
            });
            pageSizes.add(page.get("items").size());
            after = page.get("nextAfter").isNull() ? null : page.get("nextAfter").asText();
        } while (after != null);
        assertThat(pageSizes).hasSize(reasons.size()).containsOnly(1);
        assertThat(seen).containsExactlyElementsOf(oldestFirst);

        String first = oldestFirst.get(0);
        String owner = text("SELECT c.email FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id WHERE b.id = ?::uuid", first);
        assertThat(api.admin().get("/bookings/" + first).json().get("reviewReason").asText()).isEqualTo(reasons.get(first));
        assertThat(api.customer(owner).get("/bookings/" + first).json().has("reviewReason")).isFalse();
        assertThat(api.customer(owner).get("/admin/bookings?needsReview=true").status()).isEqualTo(403);
        assertThat(api.customer(owner).post("/bookings/" + first + "/review-done", "").status()).isEqualTo(403);
        assertThat(api.staff().post("/bookings/" + first + "/review-done", "").status()).isEqualTo(403);
        assertThat(api.admin().get("/admin/bookings").json().get("code").asText()).isEqualTo("invalid-value");

        Response done = api.admin().post("/bookings/" + first + "/review-done", "");

        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().has("reviewReason")).isFalse();
        assertThat(api.admin().get("/bookings/" + first).json().has("reviewReason")).isFalse();
        assertThat(api.admin().get("/admin/bookings?needsReview=true&limit=100").json().get("items").findValuesAsText("id"))
                .containsExactlyElementsOf(oldestFirst.subList(1, oldestFirst.size()));
        JsonNode audit = api.admin().get("/admin/audit-log?entityType=booking&entityId=" + first).json().get("items").get(0);
        assertThat(audit.get("actor").asText()).isEqualTo("admin:test-admin");
        assertThat(audit.get("oldValues").get("review_reason").asText()).isEqualTo(reasons.get(first));
        assertThat(audit.get("newValues").get("review_reason").isNull()).isTrue();
        int auditEntries = api.admin().get("/admin/audit-log?entityType=booking&entityId=" + first).json().get("items").size();
        assertThat(api.admin().post("/bookings/" + first + "/review-done", "").json()).isEqualTo(done.json());
        assertThat(api.admin().get("/admin/audit-log?entityType=booking&entityId=" + first).json().get("items")).hasSize(auditEntries);

        // The import's own record of the booking: with a superuser (the bulk path) an entry of its event naming it
        // among the rows the copy inserted; a role that cannot take the bulk path leaves the row trigger's INSERT entry.
        boolean bulk = Boolean.TRUE.equals(row("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").get("rolsuper"));
        String event = text("SELECT event_id::text FROM ticketing.booking WHERE id = ?::uuid", first);
        List<String> importedBookings = new ArrayList<>();
        for (JsonNode entry : api.admin().get("/admin/audit-log?entityType=legacy_import&entityId=" + event + "&limit=100").json().get("items")) {
            assertThat(entry.get("actor").asText()).isEqualTo("legacy-import");
            if (entry.get("newValues").get("table").asText().equals("booking")) {
                entry.get("newValues").get("ids").forEach(id -> importedBookings.add(id.asText()));
            }
        }
        List<JsonNode> insertedByTrigger = new ArrayList<>();
        api.admin().get("/admin/audit-log?entityType=booking&entityId=" + first + "&limit=100").json().get("items").forEach(entry -> {
            if (entry.get("action").asText().equals("INSERT") && entry.get("actor").asText().equals("legacy-import")) {
                insertedByTrigger.add(entry);
            }
        });
        if (bulk) {
            assertThat(importedBookings).as("the import's entries of event " + event).contains(first);
            assertThat(insertedByTrigger).as("no entry per row").isEmpty();
        } else {
            assertThat(insertedByTrigger).as("the row trigger's entry of booking " + first).hasSize(1);
            assertThat(importedBookings).isEmpty();
        }
    }

    @Test
    void an_admin_cancels_a_migrated_event_whose_legacy_checkouts_are_still_processing() throws SQLException {
        // A legacy pending checkout is PROCESSING here, its booking PENDING: the checkout names the booking, not the
        // other way round. An event of those, none of whose bookings the review test relies on.
        String eventId = row("""
                SELECT ps.event_id::text AS id FROM ticketing.payment_session ps
                  JOIN ticketing.booking b ON b.event_id = ps.event_id AND b.id = ps.booking_id
                 WHERE ps.status = 'PROCESSING' AND b.status = 'PENDING' AND b.payment_session_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM ticketing.booking r WHERE r.event_id = ps.event_id AND r.review_reason IS NOT NULL)
                 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").get("id").toString();
        long processing = count("SELECT count(*) FROM ticketing.payment_session WHERE event_id = ?::uuid AND status = 'PROCESSING'", eventId);
        long activeCheckouts = count("SELECT count(*) FROM ticketing.payment_session WHERE event_id = ?::uuid AND status IN ('OPEN', 'PROCESSING')",
                eventId);
        long active = count("SELECT count(*) FROM ticketing.booking WHERE event_id = ?::uuid AND status <> 'CANCELLED'", eventId);
        assertThat(processing).isPositive();

        Response cancelled = api.admin().with("Idempotency-Key", "cancel-migrated-" + eventId)
                .post("/events/" + eventId + "/cancel", "{\"reason\":\"The venue burnt down\"}");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
        JsonNode done = api.awaitCancellationDone(eventId);

        assertThat(done.get("bookings").get("done").asLong()).isEqualTo(active);
        assertThat(done.get("checkouts").get("done").asLong()).isEqualTo(activeCheckouts);
        assertThat(count("SELECT count(*) FROM ticketing.payment_session WHERE event_id = ?::uuid AND status IN ('OPEN', 'PROCESSING')", eventId))
                .isZero();
        assertThat(count("SELECT count(*) FROM ticketing.seat WHERE event_id = ?::uuid AND status <> 'BLOCKED'", eventId)).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.event_summary_drift WHERE event_id = ?::uuid", eventId)).isZero();
    }

    @Test
    void a_migrated_customer_whose_legacy_checkouts_are_still_processing_can_buy() throws SQLException {
        // Legacy pending checkouts are PROCESSING here: the provider's to end, not the customer's; they hold no quota.
        String email = row("""
                SELECT c.email FROM ticketing.payment_session ps JOIN ticketing.customer c ON c.id = ps.customer_id
                 WHERE ps.status = 'PROCESSING' GROUP BY c.email HAVING count(*) >= 3 ORDER BY c.email LIMIT 1""")
                .get("email").toString();
        Map<String, Object> seat = row("""
                SELECT s.event_id::text AS event, s.id::text AS seat FROM ticketing.seat s
                  JOIN ticketing.event e ON e.id = s.event_id
                 WHERE s.status = 'AVAILABLE' AND e.status = 'PUBLISHED' AND e.deleted_at IS NULL AND e.starts_at > now()
                 ORDER BY s.event_id, s.id LIMIT 1""");

        Response opened = api.customer(email).post("/payment-sessions",
                "{\"eventId\":\"" + seat.get("event") + "\",\"seatIds\":[\"" + seat.get("seat") + "\"]}");

        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
    }

    @Test
    void every_migrated_row_loads_through_the_ports() throws SQLException {
        TicketingPorts ports = MyBatisTicketingAdapter.create(database.dataSource(), Clock.systemUTC());
        int customers = 0;
        int events = 0;
        int bookings = 0;
        int sessions = 0;
        int tickets = 0;
        for (UUID id : ids("SELECT id FROM ticketing.customer WHERE legacy_id IS NOT NULL")) {
            assertThat(ports.loadCustomer().loadCustomer(new CustomerId(id), RowLock.NONE)).as("customer %s", id).isPresent();
            customers++;
        }
        for (UUID id : ids("SELECT id FROM ticketing.event WHERE legacy_id IS NOT NULL")) {
            EventId event = new EventId(id);
            assertThat(ports.loadEvent().loadEvent(event, RowLock.NONE)).as("event %s", id).isPresent();
            assertThat(ports.loadSeat().loadSeatsOfEvent(event)).hasSize((int) count("SELECT count(*) FROM ticketing.seat WHERE event_id = ?::uuid", id));
            assertThat(ports.loadBooking().loadBookingsOfEvent(event)).hasSize((int) count("SELECT count(*) FROM ticketing.booking WHERE event_id = ?::uuid", id));
            assertThat(ports.loadTicket().loadTicketsOfEvent(event)).hasSize((int) count("SELECT count(*) FROM ticketing.ticket WHERE event_id = ?::uuid", id));
            assertThat(ports.loadEventSummary().loadEventSummary(event)).as("summary of %s", id).isPresent();
            events++;
        }
        for (UUID id : ids("SELECT id FROM ticketing.booking WHERE legacy_id IS NOT NULL")) {
            assertThat(ports.loadBooking().loadBooking(new BookingId(id), RowLock.NONE)).as("booking %s", id).isPresent();
            bookings++;
        }
        for (UUID id : ids("SELECT id FROM ticketing.payment_session WHERE legacy_id IS NOT NULL")) {
            assertThat(ports.loadPaymentSession().loadPaymentSession(new PaymentSessionId(id), RowLock.NONE)).as("checkout %s", id).isPresent();
            sessions++;
        }
        for (UUID id : ids("SELECT id FROM ticketing.booking WHERE legacy_id IS NOT NULL")) {
            tickets += ports.loadTicket().loadTicketsOfBooking(new BookingId(id)).size();
        }
        // Scanned at the door by the code the legacy app printed, shorter than the codes issued now.
        Map<String, Object> printed = row("SELECT id::text AS id, code FROM ticketing.ticket WHERE legacy_id IS NOT NULL ORDER BY code LIMIT 1");
        assertThat((String) printed.get("code")).hasSizeLessThan(16);
        assertThat(ports.loadTicket().loadTicketByCode(new TicketCode((String) printed.get("code")), RowLock.NONE).orElseThrow().id().value())
                .hasToString((String) printed.get("id"));
        // Every legacy user but the planted one whose address another user has in another case.
        assertThat(customers).isEqualTo(count("SELECT count(*) FROM public.\"User\"") - 1);
        assertThat(events).isEqualTo(count("SELECT count(*) FROM public.\"Event\"") - 1); // the planted unknown status
        assertThat(bookings).isPositive();
        assertThat(sessions).isPositive();
        // every migrated ticket, and those the import issued for seats the legacy bookings had none for
        assertThat(tickets).isEqualTo(count("SELECT count(*) FROM ticketing.ticket WHERE legacy_id IS NOT NULL")
                + count("SELECT count(*) FROM ticketing_import.issued_ticket"));
        UUID oddCustomer = ids("SELECT id FROM ticketing.customer WHERE legacy_id = 'odd-user-1'").get(0);
        assertThat(ports.loadCustomer().loadCustomer(new CustomerId(oddCustomer), RowLock.NONE).orElseThrow().name()).isEmpty();
        UUID oddEvent = ids("SELECT id FROM ticketing.event WHERE legacy_id = 'odd-event-1'").get(0);
        assertThat(ports.loadEvent().loadEvent(new EventId(oddEvent), RowLock.NONE).orElseThrow().details().title()).hasSizeGreaterThan(200);
    }

    private static Map<String, Object> row(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row for: " + sql).isTrue();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                row.put(rows.getMetaData().getColumnLabel(column), rows.getObject(column));
            }
            return row;
        }
    }

    /** The booking's refund request once the server's refund worker has sent it: its status and checkout. */
    private static String awaitSentRefund(String bookingId) throws Exception {
        String sql = "SELECT status || ' ' || coalesce(payment_session_id::text, '-') FROM ticketing.refund_request WHERE booking_id = ?::uuid";
        for (int i = 0; i < 200 && !text(sql, bookingId).startsWith("SENT "); i++) {
            Thread.sleep(100);
        }
        return text(sql, bookingId);
    }

    private static String text(String sql, Object parameter) throws SQLException {
        return (String) single(sql, parameter);
    }

    private static long count(String sql) throws SQLException {
        return ((Number) row(sql).values().iterator().next()).longValue();
    }

    private static long count(String sql, Object parameter) throws SQLException {
        return ((Number) single(sql, parameter)).longValue();
    }

    private static Object single(String sql, Object parameter) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter.toString());
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("a row for: " + sql).isTrue();
                return rows.getObject(1);
            }
        }
    }

    private static List<UUID> ids(String sql) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }
}
