package io.ticketing.domain.model;

import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.SeatBlock;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypesTest {

    @Test
    void money_always_has_two_decimals_and_refuses_more_negative_or_mixed_currencies() {
        assertThat(Money.of("12.5", "EUR").amount()).isEqualTo(new BigDecimal("12.50"));
        assertThat(Money.of("12.50", "EUR")).isEqualTo(Money.of("12.5", "EUR"));
        assertThat(Money.of("10", "EUR").plus(Money.of("0.05", "EUR"))).isEqualTo(Money.of("10.05", "EUR"));
        assertThat(Money.of("1.230", "EUR").amount()).isEqualTo(new BigDecimal("1.23"));
        assertThatThrownBy(() -> Money.of("1.234", "EUR")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("more than 2 decimals");
        assertThatThrownBy(() -> Money.of("-1", "EUR")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Money.of("1", "EUR").plus(Money.of("1", "USD")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("cannot combine");
        assertThatThrownBy(() -> Money.of("1", "XYZW")).hasMessageContaining("ISO-4217");
    }

    @Test
    void money_in_a_currency_without_minor_unit_has_no_decimals() {
        assertThat(Money.of("1250", "JPY").amount()).isEqualTo(new BigDecimal("1250.00"));
        assertThat(Money.of("1250.00", "KRW")).isEqualTo(Money.of("1250", "KRW"));
        for (String amount : new String[]{"12.50", "0.01", "1250.10"}) {
            assertThatThrownBy(() -> Money.of(amount, "JPY")).as(amount).isInstanceOf(InvalidValueException.class)
                    .hasMessage("amount has decimals, which JPY has none of: " + amount);
            assertThatThrownBy(() -> Money.price(new BigDecimal(amount), Money.currency("JPY"))).isInstanceOf(InvalidValueException.class);
        }
        assertThatThrownBy(() -> Money.of("12.345", "BHD")).as("a third decimal stays refused")
                .hasMessage("amount has more than 2 decimals: 12.345");
    }

    @Test
    void a_sum_holds_what_an_event_summary_holds_and_a_price_what_one_stored_amount_holds() {
        // 10,001 bookings at the largest total: past what a summary held before V21 (numeric(14, 2)).
        Money sales = Money.sum(Money.currency("EUR"), Collections.nCopies(10_001, Money.of("99999999.99", "EUR")));
        assertThat(sales.amount()).isEqualTo(new BigDecimal("1000099999899.99"));
        assertThat(Money.of("999999999999999999.99", "EUR").amount()).isEqualTo(Money.MAX_AMOUNT);
        assertThatThrownBy(() -> Money.of("1000000000000000000.00", "EUR")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("must not exceed 999999999999999999.99");
        assertThatThrownBy(() -> sales.requireAtMostOnePrice("checkout amount")).hasMessageContaining("checkout amount must not exceed 99999999.99");
    }

    @Test
    void ids_are_uuid_version7_and_sort_by_creation_time_in_database_order() throws InterruptedException {
        EventId first = EventId.newId();
        Thread.sleep(2);
        EventId second = EventId.newId();

        assertThat(first.value().version()).isEqualTo(7);
        assertThat(first.value().variant()).isEqualTo(2);
        assertThat(first).isLessThan(second);
        assertThat(first.value().getMostSignificantBits() >>> 16).isCloseTo(System.currentTimeMillis(),
                Offset.offset(5_000L));
    }

    @Test
    void ids_made_in_the_same_millisecond_still_increase() {
        List<BookingId> ids = IntStream.range(0, 5_000).mapToObj(i -> BookingId.newId()).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void database_order_is_unsigned_unlike_uuid_compare_to() {
        UUID low = UUID.fromString("00000000-0000-7000-8000-000000000000");
        UUID high = UUID.fromString("f0000000-0000-7000-8000-000000000000");
        assertThat(high.compareTo(low)).as("java.util.UUID compares signed").isNegative();
        assertThat(Uuids.DATABASE_ORDER.compare(high, low)).isPositive();
    }

    @Test
    void ids_parse_and_refuse_garbage() {
        SeatId id = SeatId.newId();
        assertThat(SeatId.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> SeatId.parse("not-a-uuid")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("SeatId is not a UUID");
    }

    @Test
    void an_id_or_a_currency_code_parses_only_as_written() {
        String id = SeatId.newId().toString();
        assertThat(SeatId.parse(id.toUpperCase(java.util.Locale.ROOT)).toString()).isEqualTo(id);
        // As the API takes an id: what comes around it, visible or not, is no part of it (ApiBoundariesTest).
        for (String wrapped : List.of("\u200b" + id, id + "\ufeff", "\u00a0" + id, " " + id, id + "\n", "1-2-3-4-5", "")) {
            assertThatThrownBy(() -> SeatId.parse(wrapped)).as(wrapped).isInstanceOf(InvalidValueException.class)
                    .hasMessage("SeatId is not a UUID: " + wrapped);
        }
        assertThatThrownBy(() -> SeatId.parse(null)).isInstanceOf(InvalidValueException.class).hasMessage("SeatId is required");
        assertThat(Money.currency("EUR").getCurrencyCode()).isEqualTo("EUR");
        for (String code : List.of("\u200bEUR", "EUR\u00a0", " EUR", "EUR\t", "eur", "")) {
            assertThatThrownBy(() -> Money.currency(code)).as(code).isInstanceOf(InvalidValueException.class)
                    .hasMessage("not an ISO-4217 currency code: " + code);
        }
        assertThatThrownBy(() -> Money.currency(null)).isInstanceOf(InvalidValueException.class).hasMessage("currency is required");
    }

    @Test
    void ticket_codes_carry128_random_bits_in_url_safe_text_and_stay_out_of_logs() {
        Set<String> codes = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> codes.add(TicketCode.random().value()));
        assertThat(codes).hasSize(10_000).allSatisfy(code -> assertThat(code).matches("[A-Za-z0-9_-]{22}"));
        TicketCode code = TicketCode.random();
        assertThat(code.toString()).doesNotContain(code.value());
    }

    @Test
    void seat_positions_and_event_details_validate_themselves() {
        assertThatThrownBy(() -> new SeatPosition("A", " ", 1)).hasMessageContaining("row must not be blank");
        assertThatThrownBy(() -> new SeatPosition("A", "1", 0)).hasMessageContaining("positive");
        Instant start = Instant.parse("2030-01-01T20:00:00Z");
        assertThatThrownBy(() -> new EventDetails("Gig", null, null, start, start.minusSeconds(1)))
                .hasMessageContaining("endsAt must not be before startsAt");
        assertThat(new EventDetails("  Gig  ", null, null, start, null).title()).isEqualTo("Gig");
    }

    @Test
    void a_section_or_row_that_looks_the_same_is_the_same_whichever_way_its_accents_were_typed() {
        SeatBlock decomposed = new SeatBlock("Parterre e\u0301le\u0301gant", List.of("A\u030a", "1"), 1, 1, BigDecimal.ONE);

        assertThat(decomposed.section()).isEqualTo("Parterre \u00e9l\u00e9gant");
        assertThat(decomposed.rows()).containsExactly("\u00c5", "1");
    }

    @Test
    void text_of_nothing_a_person_sees_is_blank_and_what_shows_nothing_is_stripped_from_its_ends() {
        Instant start = Instant.parse("2030-01-01T20:00:00Z");
        for (String blank : List.of("\u0001", "\u001b", "\u001b\u0001\u007f\u0085", "\u200b", "\ufeff", "\u2060", "\u200b\ufeff\u2060",
                "\u00a0", "\u3000", "\u00a0\u3000\u2007\u202f", " \t\n", "\udb40\udc01")) {
            assertThatThrownBy(() -> new EventDetails(blank, null, null, start, null)).as(blank.codePoints().boxed().toList().toString())
                    .isInstanceOf(InvalidValueException.class).hasMessage("title must not be blank");
            assertThatThrownBy(() -> new SeatBlock(blank, List.of("1"), 1, 1, BigDecimal.ONE)).hasMessage("section must not be blank");
            assertThatThrownBy(() -> new SeatBlock("A", List.of("1", blank), 1, 1, BigDecimal.ONE)).hasMessage("a row must not be blank");
        }
        assertThat(new SeatBlock("\u200bA\u00a0", List.of("\u00a01\ufeff"), 1, 1, BigDecimal.ONE)).as("stripped as it is laid out")
                .extracting(SeatBlock::section, SeatBlock::rows).containsExactly("A", List.of("1"));
        assertThat(new EventDetails("\u200b\u00a0 Gig\u3000\ufeff\u0001", null, null, start, null).title()).isEqualTo("Gig");
        assertThat(new EventDetails("A\u00a0B", null, null, start, null).title()).as("inside, they stay").isEqualTo("A\u00a0B");
        String england = "\ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc65\udb40\udc6e\udb40\udc67\udb40\udc7f";
        assertThat(InvalidValueException.requiredText("Go " + england + " ", "title")).as("a flag keeps its tags").isEqualTo("Go " + england);
    }

    @Test
    void what_shows_nothing_is_java_17s_whitespace_space_control_and_format_characters() {
        // The rule is written out so that it does not move with a newer JDK's Unicode tables; on Java 17 it is them.
        Assumptions.assumeTrue(Runtime.version().feature() == 17, "the table is Java 17's (Unicode 13)");
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            boolean java17 = Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.FORMAT;
            assertThat(VisibleText.showsNothing(cp)).as("U+%04X", cp).isEqualTo(java17);
        }
    }

    @Test
    void a_title_section_or_row_an_admin_writes_is_one_line_without_control_characters() {
        Instant start = Instant.parse("2030-01-01T20:00:00Z");
        for (String title : List.of("Gala\nNight", "Gala\tNight", "Gala\u001b[31mNight", "Gala\u0085Night")) {
            assertThatThrownBy(() -> new EventDetails(title, null, null, start, null).checkAsInput())
                    .hasMessage("title must not contain control characters (line breaks, tabs, …)");
            assertThatThrownBy(() -> new SeatBlock(title, List.of("1"), 1, 1, BigDecimal.ONE)).hasMessageStartingWith("section must not contain");
            assertThatThrownBy(() -> new SeatBlock("A", List.of(title), 1, 1, BigDecimal.ONE)).hasMessageStartingWith("a row must not contain");
        }
        assertThat(new EventDetails("Gala\nNight", null, null, start, null).title()).as("as stored by the legacy app").isEqualTo("Gala\nNight");
        assertThat(new EventDetails("\tGala Night\n", null, null, start, null).checkAsInput().title()).isEqualTo("Gala Night");
        // As an admin gives them, a control character at an end is refused too, not dropped ("\u001b[31m" is no "[31m").
        for (String given : List.of("\u001b[31m", "\tGala", "Gala\n", "Gala\u2028")) {
            assertThatThrownBy(() -> EventDetails.given(given, null, null, start, null)).hasMessageStartingWith("title must not contain");
            assertThatThrownBy(() -> new SeatBlock(given, List.of("1"), 1, 1, BigDecimal.ONE)).hasMessageStartingWith("section must not contain");
            assertThatThrownBy(() -> new SeatBlock("A", List.of(given), 1, 1, BigDecimal.ONE)).hasMessageStartingWith("a row must not contain");
            assertThatThrownBy(() -> EventCancellation.newReason(given)).hasMessageStartingWith("reason must not contain");
        }
        assertThat(EventDetails.given(" Gala Night\u00a0", null, null, start, null).title()).isEqualTo("Gala Night");
        assertThat(new EventDetails("Caf\u00e9\u00a0Z\u200dX", null, null, start, null).checkAsInput().title()).isEqualTo("Caf\u00e9\u00a0Z\u200dX");
    }

    @Test
    void a_section_or_row_with_a_character_that_shows_nothing_inside_is_refused_as_it_would_print_as_another() {
        for (String hidden : List.of("Sta\u200blls", "Sta\u00adlls", "A\u00a0B", "A\u202eB", "A\u2060B", "A\ufeffB")) {
            assertThatThrownBy(() -> new SeatBlock(hidden, List.of("1"), 1, 1, BigDecimal.ONE)).as(hidden)
                    .hasMessageStartingWith("section must not contain invisible characters");
            assertThatThrownBy(() -> new SeatBlock("A", List.of(hidden), 1, 1, BigDecimal.ONE)).as(hidden)
                    .hasMessageStartingWith("a row must not contain invisible characters");
        }
        String england = "\ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc65\udb40\udc6e\udb40\udc67\udb40\udc7f";
        assertThat(new SeatBlock("Upper Tier " + england, List.of("A A"), 1, 1, BigDecimal.ONE)).as("spaces and a flag's tags stay")
                .extracting(SeatBlock::section, SeatBlock::rows).containsExactly("Upper Tier " + england, List.of("A A"));
    }

    @Test
    void a_stored_seat_position_loads_as_its_writer_kept_it() {
        // A seat an earlier import migrated with a section of no-break or zero-width spaces: its event's seat map
        // must still load; only whitespace alone was ever refused.
        assertThat(new SeatPosition("\u00a0", "\u200b", 1)).extracting(SeatPosition::section, SeatPosition::row)
                .containsExactly("\u00a0", "\u200b");
        assertThatThrownBy(() -> new SeatPosition(" \t", "1", 1)).hasMessage("section must not be blank");
        assertThatThrownBy(() -> new SeatBlock("A", Arrays.asList("1", null), 1, 1, BigDecimal.ONE))
                .hasMessage("a row must not be blank");
    }

    @Test
    void stored_event_details_may_break_the_input_rules_that_admins_are_held_to() {
        Instant start = Instant.parse("2030-01-01T20:00:00Z");
        EventDetails instant = new EventDetails("Gig", null, null, start, start);
        EventDetails longTitle = new EventDetails("A".repeat(201), null, null, start, null);

        assertThatThrownBy(instant::checkAsInput).hasMessageContaining("endsAt must be after startsAt");
        assertThatThrownBy(longTitle::checkAsInput).hasMessageContaining("longer than 200 characters");
        assertThatThrownBy(() -> new CreateEventCommand(Actor.admin("ann"), longTitle, Money.currency("EUR")))
                .hasMessageContaining("longer than 200 characters");
        assertThat(new EventDetails("Gig", null, null, start, start.plusSeconds(1)).checkAsInput().endsAt())
                .isEqualTo(start.plusSeconds(1));
    }

    @Test
    void a_stored_customer_may_have_an_empty_name_or_an_email_new_customers_could_not_give() {
        Customer legacy = new Customer(CustomerId.newId(), "Old.Customer@", "  ", Instant.EPOCH);

        assertThat(legacy.name()).isEmpty();
        assertThat(legacy.email()).isEqualTo("old.customer@");
        assertThatThrownBy(() -> Customer.register("old.customer@", "Old", Instant.EPOCH)).hasMessageContaining("not an email");
        assertThatThrownBy(() -> Customer.register("new@example.org", " ", Instant.EPOCH)).hasMessageContaining("name must not be blank");
    }

    @Test
    void stored_names_emails_and_actors_load_as_their_writers_kept_them() {
        // Written before text that shows nothing counted as blank: an API key named with no-break spaces (the table has
        // no check) must still load, or the key stops authenticating; a migrated email keeps its no-break space.
        assertThat(new ApiKey("\u00a0\u00a0", Actor.Role.ADMIN).name()).isEqualTo("\u00a0\u00a0");
        assertThat(Actor.admin("\u00a0\u00a0").auditName()).isEqualTo("admin:\u00a0\u00a0");
        assertThat(new Customer(CustomerId.newId(), "\u00a0A@b.c", "", Instant.EPOCH).email()).isEqualTo("\u00a0a@b.c");
        assertThat(new Deletion(Instant.EPOCH, "\u200b").deletedBy()).isEqualTo("\u200b");
        EventCancellation cancellation = new EventCancellation(EventId.newId(), "Storm", "\u2060", Instant.EPOCH,
                EventCancellation.State.RUNNING, 0, 0, 0, 0, 0, 0, 0, null);
        assertThat(cancellation.requestedBy()).isEqualTo("\u2060");
        // Whitespace alone no writer ever kept; the database holds reasons to visible text (V20), so loads do too.
        assertThatThrownBy(() -> new ApiKey(" \t", Actor.Role.ADMIN)).hasMessage("API key name must not be blank");
        assertThatThrownBy(() -> Actor.staff("")).hasMessage("actor name must not be blank");
        assertThatThrownBy(() -> new Customer(CustomerId.newId(), " ", "", Instant.EPOCH)).hasMessage("email must not be blank");
        assertThatThrownBy(() -> new EventCancellation(EventId.newId(), "\u200b", "admin:ann", Instant.EPOCH,
                EventCancellation.State.RUNNING, 0, 0, 0, 0, 0, 0, 0, null)).hasMessage("reason must not be blank");
        // What a new customer gives is held to visible text.
        assertThat(Customer.register("\u200b\u00a0Ann@Example.org\ufeff", "\u00a0Ann", Instant.EPOCH))
                .extracting(Customer::email, Customer::name).containsExactly("ann@example.org", "Ann");
        assertThatThrownBy(() -> Customer.register("\u00a0", "Ann", Instant.EPOCH)).hasMessage("email must not be blank");
    }

    @Test
    void ticket_codes_are_new_random_ones_or_the_legacy_apps_printed_codes() {
        assertThat(TicketCode.random().value()).matches("[A-Za-z0-9_-]{22}");
        assertThat(new TicketCode("TK-3F9A0C11D2B7").value()).isEqualTo("TK-3F9A0C11D2B7");
        assertThat(new TicketCode("TK-EXTRA-0001").value()).isEqualTo("TK-EXTRA-0001");
        assertThatThrownBy(() -> new TicketCode("short")).hasMessageContaining("malformed ticket code");
        assertThatThrownBy(() -> new TicketCode("TK 3F9A0C11")).hasMessageContaining("malformed ticket code");
        assertThatThrownBy(() -> new TicketCode("x".repeat(129))).hasMessageContaining("malformed ticket code");
    }

    @Test
    void customer_emails_are_normalized_to_lower_case() {
        assertThat(Customer.register(" Ann@Example.ORG ", "Ann", Instant.EPOCH).email()).isEqualTo("ann@example.org");
        assertThatThrownBy(() -> Customer.normalizeEmail("no-at-sign")).hasMessageContaining("not an email");
        for (String emptyLabel : List.of("x@.example.com", "y@example..com", "z@example.com.", "w@.")) {
            assertThatThrownBy(() -> Customer.normalizeEmail(emptyLabel)).as(emptyLabel).hasMessageContaining("not an email");
        }
        assertThat(Customer.normalizeEmail("z@example")).as("a domain of one label, as on an intranet").isEqualTo("z@example");
    }

    @Test
    void a_new_customers_email_holds_nothing_invisible_inside_but_a_migrated_one_is_still_looked_up() {
        for (String lookalike : List.of("ann\u200b@example.org", "a\u00a0nn@example.org", "ann@exa\ufeffmple.org", "ann@example.org\u0007x")) {
            assertThatThrownBy(() -> Customer.register(lookalike, "Ann", Instant.EPOCH)).as(lookalike).hasMessageContaining("not an email");
        }
        assertThat(Customer.normalizeEmail("\u00a0A\u00a0nn@Example.org\u200b")).isEqualTo("a\u00a0nn@example.org");
    }

    @Test
    void an_address_no_new_customer_could_register_is_still_an_account_to_look_up() {
        for (String migrated : List.of("Odd.Name@", "two@at@example.org", "inner space@example.org")) {
            assertThatThrownBy(() -> Customer.register(migrated, "Ann", Instant.EPOCH)).as(migrated).hasMessageContaining("not an email");
            assertThat(Customer.accountEmail("\u00a0" + migrated + " ")).isEqualTo(migrated.toLowerCase(java.util.Locale.ROOT));
        }
        assertThatThrownBy(() -> Customer.accountEmail("\u200b ")).hasMessageContaining("must not be blank");
    }

    @Test
    void actors_carry_a_customer_id_exactly_when_they_are_customers() {
        CustomerId id = CustomerId.newId();
        assertThat(Actor.customer(id).isCustomer(id)).isTrue();
        assertThat(Actor.customer(id).isCustomer(CustomerId.newId())).isFalse();
        assertThat(Actor.admin("ann").isOperator()).isTrue();
        assertThat(Actor.staff("bob").isOperator()).isFalse();
        assertThatThrownBy(() -> new Actor(Actor.Role.ADMIN, "x", id)).isInstanceOf(InvalidValueException.class);
        assertThat(List.of(Actor.admin("ann").auditName(), Actor.system("sweeper").auditName(), Actor.customer(id).auditName()))
                .containsExactly("admin:ann", "system:sweeper", "customer:" + id.value());
    }

    @Test
    void a_checkout_is_known_by_its_id_or_a_migrated_one_by_the_id_the_legacy_app_gave_it() {
        // As the import names them (legacy_uuid in import-support.sql): a lower-case UUID is kept, any other id renamed.
        UUID kept = UUID.fromString("5f0c2a9e-8b1d-4c3e-9a7f-2d6b4e8c1a03");
        PaymentSessionId cuid = new PaymentSessionId(UUID.nameUUIDFromBytes(
                "ticketing-legacy:payment_session:c64b6f4d911c3318aee6df889".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        PaymentSessionId upper = new PaymentSessionId(UUID.nameUUIDFromBytes(("ticketing-legacy:payment_session:"
                + kept.toString().toUpperCase(java.util.Locale.ROOT)).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(PaymentSessionId.migratedFrom("c64b6f4d911c3318aee6df889")).isEqualTo(cuid);
        assertThat(cuid.value().version()).isEqualTo(3);
        assertThat(PaymentSessionId.migratedFrom(kept.toString())).isEqualTo(new PaymentSessionId(kept));

        assertThat(PaymentSessionId.knownAs(kept.toString())).containsExactly(new PaymentSessionId(kept));
        assertThat(PaymentSessionId.knownAs("c64b6f4d911c3318aee6df889")).containsExactly(cuid);
        // An upper-case UUID: the checkout migrated from that very legacy id, else a checkout's own id written so (the
        // legacy app may have had both spellings: the lower-case one is another checkout).
        assertThat(PaymentSessionId.knownAs(kept.toString().toUpperCase(java.util.Locale.ROOT)))
                .containsExactly(upper, new PaymentSessionId(kept));
        assertThat(PaymentSessionId.knownAs("x".repeat(255))).hasSize(1);
        for (String neither : Arrays.asList(null, "", "x".repeat(256), " " + kept, kept + "\n", "c64b\u00a0", "c64b\u200b", "c64b\u0000")) {
            assertThat(PaymentSessionId.knownAs(neither)).as(String.valueOf(neither)).isEmpty();
        }
    }
}
