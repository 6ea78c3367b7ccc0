package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.IllegalTransitionException;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.AddSeatsToSessionCommand;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckoutServiceTest extends UseCaseTestSupport {

    private final EventWithSeats concert = given.publishedEventWithSeats(6);
    private final Customer customer = given.customer();

    @Test
    void the_checkout_expires_after_the_configured_time() {
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 1));
        assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void a_customer_cannot_check_out_for_somebody_else() {
        OpenCheckoutCommand forAnother = new OpenCheckoutCommand(Actor.customer(customer.id()), given.customer().id(),
                concert.event().id(), concert.seatIds(0, 1));
        assertRejected(() -> services.checkouts().openCheckout(forAnother), RejectionReason.ACCESS_DENIED);
    }

    @Test
    void an_unknown_customer_is_not_found() {
        assertThatThrownBy(() -> services.checkouts().openCheckout(OpenCheckoutCommand.byCustomer(CustomerId.newId(),
                concert.event().id(), concert.seatIds(0, 1)))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void nothing_is_sold_once_the_event_started() {
        EventWithSeats soon = given.publishedEventWithSeats(1, Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(30));
        assertRejected(() -> given.checkout(customer, soon, soon.seatIds(0, 1)), RejectionReason.EVENT_ALREADY_STARTED);
    }

    @Test
    void an_expired_but_not_yet_swept_checkout_no_longer_counts_against_the_quota_nor_takes_seats() {
        PaymentSession first = given.checkout(customer, concert, concert.seatIds(0, 1));
        given.checkout(customer, concert, concert.seatIds(1, 2));
        assertRejected(() -> given.checkout(customer, concert, concert.seatIds(2, 3)), RejectionReason.TOO_MANY_OPEN_CHECKOUTS);

        clock.advance(Duration.ofMinutes(5));

        assertRejected(() -> services.checkouts().addSeatsToSession(new AddSeatsToSessionCommand(
                Actor.customer(customer.id()), first.id(), concert.seatIds(3, 4))), RejectionReason.CHECKOUT_EXPIRED);
        assertThat(given.checkout(customer, concert, concert.seatIds(2, 3)).seatIds()).hasSize(1);
    }

    @Test
    void a_closed_checkout_takes_no_seats_not_even_those_it_had_and_an_open_one_takes_its_own_again() {
        PaymentSession open = given.checkout(customer, concert, concert.seatIds(0, 1));
        assertThat(services.checkouts().addSeatsToSession(new AddSeatsToSessionCommand(Actor.customer(customer.id()), open.id(),
                concert.seatIds(0, 1))).seatIds()).as("a retry").isEqualTo(open.seatIds());
        services.checkouts().cancelCheckout(new CheckoutCommand(Actor.customer(customer.id()), open.id()));
        assertRejected(() -> services.checkouts().addSeatsToSession(new AddSeatsToSessionCommand(
                Actor.customer(customer.id()), open.id(), concert.seatIds(0, 1))), RejectionReason.CHECKOUT_NOT_OPEN);
    }

    @Test
    void a_checkout_whose_payment_is_processing_cannot_be_cancelled() {
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 1));
        given.report(session, PaymentResult.PROCESSING);
        assertThatThrownBy(() -> services.checkouts().cancelCheckout(new CheckoutCommand(Actor.customer(customer.id()), session.id())))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("PROCESSING and cannot become CANCELLED");
    }

    @Test
    void commands_validate_themselves() {
        assertThatThrownBy(() -> OpenCheckoutCommand.byCustomer(customer.id(), concert.event().id(), List.of()))
                .hasMessageContaining("at least one seat");
        assertThatThrownBy(() -> OpenCheckoutCommand.byCustomer(customer.id(), concert.event().id(),
                List.of(concert.seat(0), concert.seat(0)))).hasMessageContaining("distinct");
    }
}
