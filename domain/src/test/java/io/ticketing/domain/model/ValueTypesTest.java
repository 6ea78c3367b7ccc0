package io.ticketing.domain.model;

import io.ticketing.domain.port.in.CreateEventCommand;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypesTest {

    @Test
    void moneyAlwaysHasTwoDecimalsAndRefusesMoreNegativeOrMixedCurrencies() {
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
    void idsAreUuidVersion7AndSortByCreationTimeInDatabaseOrder() throws InterruptedException {
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
    void idsMadeInTheSameMillisecondStillIncrease() {
        List<BookingId> ids = IntStream.range(0, 5_000).mapToObj(i -> BookingId.newId()).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void databaseOrderIsUnsignedUnlikeUuidCompareTo() {
        UUID low = UUID.fromString("00000000-0000-7000-8000-000000000000");
        UUID high = UUID.fromString("f0000000-0000-7000-8000-000000000000");
        assertThat(high.compareTo(low)).as("java.util.UUID compares signed").isNegative();
        assertThat(Uuids.DATABASE_ORDER.compare(high, low)).isPositive();
    }

    @Test
    void idsParseAndRefuseGarbage() {
        SeatId id = SeatId.newId();
        assertThat(SeatId.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> SeatId.parse("not-a-uuid")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("SeatId is not a UUID");
    }

    @Test
    void ticketCodesCarry128RandomBitsInUrlSafeTextAndStayOutOfLogs() {
        Set<String> codes = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> codes.add(TicketCode.random().value()));
        assertThat(codes).hasSize(10_000).allSatisfy(code -> assertThat(code).matches("[A-Za-z0-9_-]{22}"));
        TicketCode code = TicketCode.random();
        assertThat(code.toString()).doesNotContain(code.value());
    }

    @Test
    void seatPositionsAndEventDetailsValidateThemselves() {
        assertThatThrownBy(() -> new SeatPosition("A", " ", 1)).hasMessageContaining("row must not be blank");
        assertThatThrownBy(() -> new SeatPosition("A", "1", 0)).hasMessageContaining("positive");
        Instant start = Instant.parse("2030-01-01T20:00:00Z");
        assertThatThrownBy(() -> new EventDetails("Gig", null, null, start, start.minusSeconds(1)))
                .hasMessageContaining("endsAt must not be before startsAt");
        assertThat(new EventDetails("  Gig  ", null, null, start, null).title()).isEqualTo("Gig");
    }

    @Test
    void storedEventDetailsMayBreakTheInputRulesThatAdminsAreHeldTo() {
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
    void aStoredCustomerMayHaveAnEmptyNameOrAnEmailNewCustomersCouldNotGive() {
        Customer legacy = new Customer(CustomerId.newId(), "Old.Customer@", "  ", Instant.EPOCH);

        assertThat(legacy.name()).isEmpty();
        assertThat(legacy.email()).isEqualTo("old.customer@");
        assertThatThrownBy(() -> Customer.register("old.customer@", "Old", Instant.EPOCH)).hasMessageContaining("not an email");
        assertThatThrownBy(() -> Customer.register("new@example.org", " ", Instant.EPOCH)).hasMessageContaining("name must not be blank");
    }

    @Test
    void ticketCodesAreNewRandomOnesOrTheLegacyAppsPrintedCodes() {
        assertThat(TicketCode.random().value()).matches("[A-Za-z0-9_-]{22}");
        assertThat(new TicketCode("TK-3F9A0C11D2B7").value()).isEqualTo("TK-3F9A0C11D2B7");
        assertThat(new TicketCode("TK-EXTRA-0001").value()).isEqualTo("TK-EXTRA-0001");
        assertThatThrownBy(() -> new TicketCode("short")).hasMessageContaining("malformed ticket code");
        assertThatThrownBy(() -> new TicketCode("TK 3F9A0C11")).hasMessageContaining("malformed ticket code");
        assertThatThrownBy(() -> new TicketCode("x".repeat(129))).hasMessageContaining("malformed ticket code");
    }

    @Test
    void customerEmailsAreNormalizedToLowerCase() {
        assertThat(Customer.register(" Ann@Example.ORG ", "Ann", Instant.EPOCH).email()).isEqualTo("ann@example.org");
        assertThatThrownBy(() -> Customer.normalizeEmail("no-at-sign")).hasMessageContaining("not an email");
    }

    @Test
    void actorsCarryACustomerIdExactlyWhenTheyAreCustomers() {
        CustomerId id = CustomerId.newId();
        assertThat(Actor.customer(id).isCustomer(id)).isTrue();
        assertThat(Actor.customer(id).isCustomer(CustomerId.newId())).isFalse();
        assertThat(Actor.admin("ann").isOperator()).isTrue();
        assertThat(Actor.staff("bob").isOperator()).isFalse();
        assertThatThrownBy(() -> new Actor(Actor.Role.ADMIN, "x", id)).isInstanceOf(InvalidValueException.class);
        assertThat(List.of(Actor.admin("ann").auditName(), Actor.system("sweeper").auditName(), Actor.customer(id).auditName()))
                .containsExactly("admin:ann", "system:sweeper", "customer:" + id.value());
    }
}
