package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketCode;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.in.TicketQuery;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static io.ticketing.domain.testing.contract.TicketingFixtures.DOOR_STAFF;
import static io.ticketing.domain.testing.contract.TicketingFixtures.PAYMENTS;
import static io.ticketing.domain.testing.contract.TicketingFixtures.SWEEPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentAndBookingServicesTest extends UseCaseTestSupport {

    private final EventWithSeats concert = given.publishedEventWithSeats(4);
    private final Customer customer = given.customer();

    @Test
    void a_reported_amount_in_another_currency_is_refused_and_changes_nothing() {
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 2));
        ApplyPaymentResultCommand wrongAmount = new ApplyPaymentResultCommand(PAYMENTS, session.id(),
                PaymentResult.SUCCEEDED, "pi_1", Money.of("50.00", "USD"));

        assertRejected(() -> services.paymentResults().applyPaymentResult(wrongAmount), RejectionReason.PAYMENT_AMOUNT_MISMATCH);
        assertThat(ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE).orElseThrow().status())
                .isEqualTo(PaymentSessionStatus.OPEN);

        PaymentResultApplied paid = services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS,
                session.id(), PaymentResult.SUCCEEDED, "pi_1", Money.of("50.00", "EUR")));
        assertThat(paid.session().providerReference()).isEqualTo("pi_1");
    }

    @Test
    void a_payment_reported_without_an_amount_is_refused_and_changes_nothing() {
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 2));
        for (PaymentResult result : List.of(PaymentResult.PROCESSING, PaymentResult.SUCCEEDED)) {
            assertRejected(() -> services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, session.id(),
                    result, "pi_1", null)), RejectionReason.PAYMENT_AMOUNT_MISMATCH);
        }
        assertThat(ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE).orElseThrow().status())
                .isEqualTo(PaymentSessionStatus.OPEN);
        assertThat(services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, session.id(),
                PaymentResult.FAILED, "pi_1", null)).session().status()).isEqualTo(PaymentSessionStatus.FAILED);
    }

    @Test
    void a_success_without_the_providers_reference_is_refused_unless_an_earlier_report_gave_it() {
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 2));
        assertThatThrownBy(() -> services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, session.id(),
                PaymentResult.SUCCEEDED, null, session.amount()))).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("providerReference is required");
        assertThat(ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE).orElseThrow().status())
                .as("nothing confirmed that could not be refunded").isEqualTo(PaymentSessionStatus.OPEN);
        services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, session.id(),
                PaymentResult.PROCESSING, "pi_7", session.amount()));
        assertThat(services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, session.id(),
                PaymentResult.SUCCEEDED, null, session.amount())).session().status()).isEqualTo(PaymentSessionStatus.SUCCEEDED);
    }

    @Test
    void customers_cannot_report_their_own_payments() {
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 1));
        assertRejected(() -> services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(
                Actor.customer(customer.id()), session.id(), PaymentResult.SUCCEEDED, null, null)), RejectionReason.ACCESS_DENIED);
    }

    @Test
    void a_payment_that_fails_before_processing_leaves_no_booking() {
        PaymentResultApplied failed = given.report(given.checkout(customer, concert, concert.seatIds(0, 1)), PaymentResult.FAILED);
        assertThat(failed.booking()).isEmpty();
        assertThat(ports.loadSeat().loadAvailableSeats(concert.event().id(), null, 10)).hasSize(4);
    }

    @Test
    void a_checked_in_booking_cannot_be_refunded_but_an_unused_one_can_be_by_an_admin() {
        PaymentResultApplied used = given.paidBooking(customer, concert, concert.seatIds(0, 1));
        services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, concert.event().id(), used.tickets().get(0).code()));
        assertRejected(() -> services.bookings().cancelBooking(new BookingCommand(Actor.customer(customer.id()),
                used.booking().orElseThrow().id())), RejectionReason.TICKET_ALREADY_USED);

        Booking unused = given.paidBooking(customer, concert, concert.seatIds(1, 2)).booking().orElseThrow();
        assertThat(services.bookings().cancelBooking(new BookingCommand(ADMIN, unused.id())).isRefunded()).isTrue();
        assertRejected(() -> services.bookings().cancelBooking(new BookingCommand(ADMIN, unused.id())),
                RejectionReason.BOOKING_NOT_CONFIRMED);
    }

    @Test
    void only_staff_and_operators_check_tickets_in_and_only_at_their_event() {
        Ticket ticket = given.paidBooking(customer, concert, concert.seatIds(0, 1)).tickets().get(0);
        EventWithSeats otherEvent = given.publishedEventWithSeats(1);

        assertRejected(() -> services.checkIn().checkIn(new CheckInCommand(Actor.customer(customer.id()),
                concert.event().id(), ticket.code())), RejectionReason.ACCESS_DENIED);
        assertRejected(() -> services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, otherEvent.event().id(),
                ticket.code())), RejectionReason.TICKET_OF_ANOTHER_EVENT);
        assertThat(services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, concert.event().id(), ticket.code()))
                .checkedInAt()).isEqualTo(clock.instant());
    }

    @Test
    void a_ticket_is_found_by_its_code_at_the_door_and_by_its_owner_but_not_by_another_customer() {
        Ticket ticket = given.paidBooking(customer, concert, concert.seatIds(0, 1)).tickets().get(0);
        Customer stranger = given.customer();

        assertThat(services.bookings().getTicket(new TicketQuery(DOOR_STAFF, ticket.code()))).contains(ticket);
        assertThat(services.bookings().getTicket(new TicketQuery(ADMIN, ticket.code()))).contains(ticket);
        assertThat(services.bookings().getTicket(new TicketQuery(Actor.customer(customer.id()), ticket.code()))).contains(ticket);
        assertThat(services.bookings().getTicket(new TicketQuery(Actor.customer(stranger.id()), ticket.code()))).isEmpty();
        assertThat(services.bookings().getTicket(new TicketQuery(Actor.anonymous(), ticket.code()))).isEmpty();
        assertThat(services.bookings().getTicket(new TicketQuery(DOOR_STAFF, TicketCode.random()))).isEmpty();
    }

    @Test
    void the_sweeper_expires_at_most_one_batch_per_call() {
        for (int i = 0; i < 3; i++) {
            given.checkout(given.customer(), concert, concert.seatIds(i, i + 1));
        }
        clock.advance(Duration.ofMinutes(5));

        assertThat(services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 2)).expired()).hasSize(2);
        assertThat(services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 2)).expired()).hasSize(1);
        assertThat(ports.loadSeat().loadSeatsOfEvent(concert.event().id()))
                .allSatisfy(seat -> assertThat(seat.status()).isEqualTo(SeatStatus.AVAILABLE));
    }

    @Test
    void statistics_are_for_operators_and_staff_and_the_sales_view_lags_until_refreshed() {
        assertRejected(() -> services.statistics().getEventStats(new EventQuery(Actor.customer(customer.id()),
                concert.event().id())), RejectionReason.ACCESS_DENIED);
        assertThat(services.statistics().getEventStats(new EventQuery(Actor.staff("door"), concert.event().id()))).isPresent();
        services.statistics().getEventSalesAnalytics(new SalesAnalyticsQuery(ADMIN, true));
        given.paidBooking(customer, concert, concert.seatIds(0, 2));

        assertThat(services.statistics().getEventSalesAnalytics(new SalesAnalyticsQuery(ADMIN, false)))
                .singleElement().satisfies(row -> assertThat(row.ticketsSold()).isZero());
        assertThat(services.statistics().getEventSalesAnalytics(new SalesAnalyticsQuery(ADMIN, true)))
                .singleElement().satisfies(row -> assertThat(row.ticketsSold()).isEqualTo(2));
    }
}
