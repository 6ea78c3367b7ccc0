package io.ticketing.domain.testing.contract;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.SeatsUnavailableException;
import io.ticketing.domain.policy.PolicyViolationException;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.AddSeatsToSessionCommand;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.SeatAdminCommand;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Holding seats: all or none, never one seat for two checkouts, whatever runs at the same time. */
public abstract class SeatReservationContract extends TicketingContractSupport {

    @Test
    void a_checkout_holds_its_seats_and_prices_them() {
        EventWithSeats concert = given.publishedEventWithSeats(5);
        Customer customer = given.customer();

        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 3));

        assertThat(session.status()).isEqualTo(PaymentSessionStatus.OPEN);
        assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(LIMITS.expiry()));
        assertThat(session.amount()).isEqualTo(Money.of("75.00", "EUR"));
        assertThat(ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE)).contains(session);
        assertThat(seatStatuses(concert.event().id())).containsValues(SeatStatus.RESERVED).satisfies(statuses ->
                assertThat(statuses.values().stream().filter(SeatStatus.RESERVED::equals)).hasSize(3));
    }

    @Test
    void if_one_requested_seat_is_taken_no_seat_is_held_and_no_checkout_is_stored() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer first = given.customer();
        Customer second = given.customer();
        given.checkout(first, concert, List.of(concert.seat(1)));

        assertRejected(() -> given.checkout(second, concert, concert.seatIds(0, 3)), RejectionReason.SEATS_UNAVAILABLE);

        assertThat(statusOf(concert.event().id(), concert.seat(0))).isEqualTo(SeatStatus.AVAILABLE);
        assertThat(statusOf(concert.event().id(), concert.seat(2))).isEqualTo(SeatStatus.AVAILABLE);
        assertThat(ports.loadPaymentSession().countOpenPaymentSessions(second.id(), clock.instant())).isZero();
    }

    @Test
    void the_transition_port_is_all_or_none_and_names_the_seats_it_could_not_move() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        EventWithSeats other = given.publishedEventWithSeats(1);
        inUnitOfWork(ADMIN, () -> ports.seatTransition().transitionSeats(concert.event().id(),
                List.of(concert.seat(1)), SeatStatus.AVAILABLE, SeatStatus.BLOCKED));

        SeatTransitionPort.Transition transition = inUnitOfWork(ADMIN, () -> ports.seatTransition().transitionSeats(concert.event().id(),
                List.of(concert.seat(0), concert.seat(1), concert.seat(2), other.seat(0)),
                SeatStatus.AVAILABLE, SeatStatus.RESERVED));

        assertThat(transition.refused()).containsExactlyInAnyOrder(concert.seat(1), other.seat(0));
        assertThat(transition.moved()).isEmpty();
        assertThat(seatStatuses(concert.event().id())).containsEntry(concert.seat(0), SeatStatus.AVAILABLE)
                .containsEntry(concert.seat(1), SeatStatus.BLOCKED).containsEntry(concert.seat(2), SeatStatus.AVAILABLE);
        assertThat(statusOf(other.event().id(), other.seat(0))).isEqualTo(SeatStatus.AVAILABLE);
    }

    @Test
    void sixteen_customers_racing_for_overlapping_seats_never_share_a_seat() throws InterruptedException {
        EventWithSeats concert = given.publishedEventWithSeats(20);
        List<Customer> customers = IntStream.range(0, 16).mapToObj(i -> given.customer()).toList();
        // Customer i wants seats i, i+1, i+2 (mod 20): every seat is wanted by up to three customers.
        List<List<SeatId>> wanted = IntStream.range(0, 16).mapToObj(i ->
                IntStream.range(i, i + 3).mapToObj(n -> concert.seat(n % 20)).toList()).toList();

        List<Outcome<PaymentSession>> outcomes = race(IntStream.range(0, 16).boxed().toList(),
                i -> given.checkout(customers.get(i), concert, wanted.get(i)));

        Set<SeatId> held = new HashSet<>();
        List<PaymentSession> winners = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome<PaymentSession> outcome = outcomes.get(i);
            if (outcome.succeeded()) {
                winners.add(outcome.value());
                assertThat(outcome.value().seatIds()).containsExactlyInAnyOrderElementsOf(wanted.get(i));
                for (SeatId seat : outcome.value().seatIds()) {
                    assertThat(held.add(seat)).as("seat %s held by two checkouts", seat).isTrue();
                }
            } else {
                assertThat(outcome.failure()).as("a loser is told its seats are gone")
                        .isInstanceOfAny(SeatsUnavailableException.class,
                                PolicyViolationException.class);
            }
        }
        assertThat(winners).isNotEmpty();
        assertThat(seatStatuses(concert.event().id()).entrySet())
                .allSatisfy(entry -> assertThat(entry.getValue())
                        .isEqualTo(held.contains(entry.getKey()) ? SeatStatus.RESERVED : SeatStatus.AVAILABLE));
        assertThat(summaryOf(concert.event().id())).isEqualTo(recountOf(concert.event().id()));
    }

    @Test
    void one_customer_racing_for_more_checkouts_than_allowed_gets_exactly_the_quota() throws InterruptedException {
        EventWithSeats concert = given.publishedEventWithSeats(10);
        Customer customer = given.customer();

        List<Outcome<PaymentSession>> outcomes = race(IntStream.range(0, 8).boxed().toList(),
                i -> given.checkout(customer, concert, List.of(concert.seat(i))));

        assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(LIMITS.maxOpenCheckoutsPerCustomer());
        assertThat(ports.loadPaymentSession().countOpenPaymentSessions(customer.id(), clock.instant()))
                .isEqualTo(LIMITS.maxOpenCheckoutsPerCustomer());
    }

    @Test
    void seats_added_to_an_open_checkout_are_held_and_already_held_ones_are_skipped() {
        EventWithSeats concert = given.publishedEventWithSeats(5);
        Customer customer = given.customer();
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 1));

        PaymentSession grown = services.checkouts().addSeatsToSession(new AddSeatsToSessionCommand(
                Actor.customer(customer.id()), session.id(), concert.seatIds(0, 3)));

        assertThat(grown.seatIds()).containsExactlyInAnyOrderElementsOf(concert.seatIds(0, 3));
        assertThat(grown.amount()).isEqualTo(Money.of("75.00", "EUR"));
        assertThat(ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE).orElseThrow().seatIds())
                .containsExactlyInAnyOrderElementsOf(concert.seatIds(0, 3));
        assertThat(statusOf(concert.event().id(), concert.seat(2))).isEqualTo(SeatStatus.RESERVED);
    }

    @Test
    void cancelling_a_checkout_releases_its_seats() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        Customer customer = given.customer();
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 2));

        PaymentSession cancelled = services.checkouts().cancelCheckout(new CheckoutCommand(Actor.customer(customer.id()), session.id()));

        assertThat(cancelled.status()).isEqualTo(PaymentSessionStatus.CANCELLED);
        assertThat(seatStatuses(concert.event().id())).containsOnlyKeys(concert.seatIds(0, 2))
                .allSatisfy((seat, status) -> assertThat(status).isEqualTo(SeatStatus.AVAILABLE));
        assertThat(given.checkout(given.customer(), concert, concert.seatIds(0, 2)).seatIds()).hasSize(2);
    }

    @Test
    void blocked_seats_cannot_be_held_and_unblocking_makes_them_available() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        services.seats().blockSeats(new SeatAdminCommand(ADMIN, concert.event().id(), concert.seatIds(0, 2)));

        assertRejected(() -> given.checkout(customer, concert, List.of(concert.seat(0))), RejectionReason.SEATS_UNAVAILABLE);

        services.seats().unblockSeats(new SeatAdminCommand(ADMIN, concert.event().id(), concert.seatIds(0, 2)));
        assertThat(given.checkout(customer, concert, List.of(concert.seat(0))).seatIds()).containsExactly(concert.seat(0));
    }

    @Test
    void a_held_seat_cannot_be_blocked_and_a_block_request_is_all_or_none() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        given.checkout(given.customer(), concert, List.of(concert.seat(1)));

        assertRejected(() -> services.seats().blockSeats(new SeatAdminCommand(ADMIN, concert.event().id(),
                concert.seatIds(0, 3))), RejectionReason.SEATS_UNAVAILABLE);
        assertThat(statusOf(concert.event().id(), concert.seat(0))).isEqualTo(SeatStatus.AVAILABLE);
    }

    @Test
    void admins_blocking_while_customers_check_out_never_share_a_seat() throws InterruptedException {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        List<Customer> customers = IntStream.range(0, 8).mapToObj(i -> given.customer()).toList();

        List<Outcome<Object>> outcomes = race(IntStream.range(0, 16).boxed().toList(), i -> i % 2 == 0
                ? services.seats().blockSeats(new SeatAdminCommand(ADMIN, concert.event().id(), concert.seatIds(0, 4)))
                : given.checkout(customers.get(i / 2), concert, concert.seatIds(0, 4)));

        assertThat(outcomes.stream().filter(Outcome::succeeded)).as("exactly one request takes all four seats").hasSize(1);
        Set<SeatStatus> statuses = Set.copyOf(seatStatuses(concert.event().id()).values());
        assertThat(statuses).as("all four seats went to the one winner").isIn(
                Set.of(SeatStatus.BLOCKED), Set.of(SeatStatus.RESERVED));
    }

    @Test
    void checkouts_refuse_too_many_seats() {
        EventWithSeats concert = given.publishedEventWithSeats(LIMITS.maxSeatsPerCheckout() + 1);
        Customer customer = given.customer();
        assertRejected(() -> services.checkouts().openCheckout(OpenCheckoutCommand.byCustomer(customer.id(),
                concert.event().id(), concert.seatIds(0, LIMITS.maxSeatsPerCheckout() + 1))), RejectionReason.TOO_MANY_SEATS);
    }

    @Test
    void a_transition_returns_the_seats_it_moved_as_they_are_now_in_seat_order() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        List<Seat> before = ports.loadSeat().loadSeats(concert.event().id(), concert.seatIds(0, 3));

        SeatTransitionPort.Transition transition = inUnitOfWork(ADMIN, () -> ports.seatTransition().transitionSeats(
                concert.event().id(), List.of(concert.seat(2), concert.seat(0), concert.seat(1)),
                SeatStatus.AVAILABLE, SeatStatus.BLOCKED));

        assertThat(transition.refused()).isEmpty();
        assertThat(transition.moved()).isEqualTo(before.stream()
                .map(seat -> seat.moveTo(SeatStatus.BLOCKED).withVersion(seat.version() + 1)).toList());
        assertThat(transition.moved()).isEqualTo(ports.loadSeat().loadSeats(concert.event().id(), concert.seatIds(0, 3)));
    }

    @Test
    void a_failure_half_way_through_a_unit_of_work_leaves_nothing_behind() {
        EventWithSeats concert = given.publishedEventWithSeats(2);

        assertThatThrownBy(() -> inUnitOfWork(ADMIN, () -> {
            ports.seatTransition().transitionSeats(concert.event().id(), concert.seatIds(0, 2),
                    SeatStatus.AVAILABLE, SeatStatus.BLOCKED);
            ports.saveEvent().updateEvent(concert.event().cancel());
            throw new IllegalStateException("boom after two writes");
        })).hasMessage("boom after two writes");

        assertThat(seatStatuses(concert.event().id()).values()).containsOnly(SeatStatus.AVAILABLE);
        assertThat(ports.loadEvent().loadEvent(concert.event().id(), RowLock.NONE).orElseThrow())
                .isEqualTo(concert.event());
    }
}
