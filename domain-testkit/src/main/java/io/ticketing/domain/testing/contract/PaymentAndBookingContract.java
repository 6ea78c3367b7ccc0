package io.ticketing.domain.testing.contract;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.BookedSeat;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketCode;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.BookingPage;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.ListBookingsToReviewQuery;
import io.ticketing.domain.port.in.ListCustomerBookingsQuery;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.in.SeatAdminCommand;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveTicketPort;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static io.ticketing.domain.testing.contract.TicketingFixtures.DOOR_STAFF;
import static io.ticketing.domain.testing.contract.TicketingFixtures.SWEEPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Payments, expiry, refunds, check-in, privacy and the counters, as any adapter must store them. */
public abstract class PaymentAndBookingContract extends TicketingContractSupport {

    @Test
    void a_succeeded_payment_confirms_the_booking_books_the_seats_and_issues_one_ticket_per_seat() {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        Customer customer = given.customer();

        PaymentResultApplied paid = given.paidBooking(customer, concert, concert.seatIds(0, 3));

        Booking booking = paid.booking().orElseThrow();
        assertThat(paid.session().status()).isEqualTo(PaymentSessionStatus.SUCCEEDED);
        assertThat(booking.status()).isEqualTo(BookingStatus.CONFIRMED);
        assertThat(booking.total()).isEqualTo(Money.of("75.00", "EUR"));
        assertThat(ports.loadBooking().loadBooking(booking.id(), RowLock.NONE)).contains(booking);
        assertThat(paid.tickets()).hasSize(3).allSatisfy(ticket -> assertThat(ticket.status()).isEqualTo(TicketStatus.VALID));
        assertThat(paid.tickets()).extracting(Ticket::seatId).containsExactlyInAnyOrderElementsOf(concert.seatIds(0, 3));
        assertThat(paid.tickets().stream().map(Ticket::code).distinct()).hasSize(3);
        assertThat(ports.loadTicket().loadTicketByCode(paid.tickets().get(0).code(), RowLock.NONE)).contains(paid.tickets().get(0));
        assertThat(seatStatuses(concert.event().id())).containsEntry(concert.seat(0), SeatStatus.BOOKED)
                .containsEntry(concert.seat(3), SeatStatus.AVAILABLE);
        assertThat(services.bookings().getBookingSeats(new BookingCommand(Actor.customer(customer.id()), booking.id())))
                .extracting(seat -> seat.id()).containsExactlyInAnyOrderElementsOf(concert.seatIds(0, 3));
    }

    @Test
    void while_processing_the_booking_is_pending_and_the_seats_stay_held() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        PaymentSession session = given.checkout(given.customer(), concert, concert.seatIds(0, 2));

        PaymentResultApplied processing = given.report(session, PaymentResult.PROCESSING);
        clock.advance(Duration.ofHours(1)); // a processing payment no longer expires
        assertThat(services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 10)).expired()).isEmpty();
        PaymentResultApplied succeeded = given.report(session, PaymentResult.SUCCEEDED);

        assertThat(processing.booking().orElseThrow().status()).isEqualTo(BookingStatus.PENDING);
        assertThat(succeeded.booking().orElseThrow().id()).isEqualTo(processing.booking().orElseThrow().id());
        assertThat(succeeded.booking().orElseThrow().status()).isEqualTo(BookingStatus.CONFIRMED);
        assertThat(seatStatuses(concert.event().id()).values()).containsOnly(SeatStatus.BOOKED);
    }

    @Test
    void a_failed_payment_releases_the_seats_and_cancels_the_pending_booking() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        PaymentSession session = given.checkout(given.customer(), concert, concert.seatIds(0, 2));
        given.report(session, PaymentResult.PROCESSING);

        PaymentResultApplied failed = given.report(session, PaymentResult.FAILED);

        assertThat(failed.session().status()).isEqualTo(PaymentSessionStatus.FAILED);
        assertThat(failed.booking().orElseThrow().status()).isEqualTo(BookingStatus.CANCELLED);
        assertThat(ports.loadTicket().loadTicketsOfEvent(concert.event().id())).isEmpty();
        assertThat(seatStatuses(concert.event().id()).values()).containsOnly(SeatStatus.AVAILABLE);
        assertThat(summaryOf(concert.event().id()).refunds()).isEqualTo(Money.of("0", "EUR"));
    }

    @Test
    void a_repeated_success_report_changes_nothing() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        PaymentSession session = given.checkout(given.customer(), concert, concert.seatIds(0, 2));
        PaymentResultApplied first = given.report(session, PaymentResult.SUCCEEDED);

        PaymentResultApplied repeated = given.report(session, PaymentResult.SUCCEEDED);

        assertThat(repeated.tickets()).containsExactlyInAnyOrderElementsOf(first.tickets());
        assertThat(ports.loadTicket().loadTicketsOfEvent(concert.event().id())).hasSize(2);
    }

    /** A success report for {@code session} under the provider's payment reference {@code reference}. */
    private PaymentResultApplied paid(PaymentSession session, String reference) {
        return services.paymentResults().applyPaymentResult(new io.ticketing.domain.port.in.ApplyPaymentResultCommand(
                TicketingFixtures.PAYMENTS, session.id(), PaymentResult.SUCCEEDED, reference, session.amount()));
    }

    @Test
    void a_second_payment_of_a_checkout_confirms_nothing_more_and_is_refunded_by_its_own_reference() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        var eventId = concert.event().id();
        PaymentSession sold = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        PaymentSession expired = given.checkout(given.customer(), concert, concert.seatIds(1, 2));
        Booking first = paid(sold, "pay-A").booking().orElseThrow();
        clock.advance(LIMITS.expiry());
        services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 10));
        Booking late = paid(expired, "pay-C").booking().orElseThrow(); // paid after it expired: refunded

        // The provider charged each checkout once more, under another reference, and reports each twice.
        PaymentResultApplied twice = paid(sold, "pay-B");
        PaymentResultApplied twiceAgain = paid(sold, "pay-B");
        PaymentResultApplied lateTwice = paid(expired, "pay-D");
        paid(expired, "pay-D");

        assertThat(List.of(twice, lateTwice)).allSatisfy(applied -> {
            assertThat(applied.tickets()).isEmpty();
            assertThat(applied.booking()).hasValueSatisfying(booking -> {
                assertThat(booking.isRefunded()).isTrue();
                assertThat(booking.paymentSessionId()).as("the checkout's booking is its first payment's").isEmpty();
            });
        });
        assertThat(twice.session().status()).isEqualTo(PaymentSessionStatus.SUCCEEDED);
        assertThat(twice.session().providerReference()).isEqualTo("pay-A");
        assertThat(twiceAgain.booking().orElseThrow().id()).as("a repeat requests nothing more").isEqualTo(twice.booking().orElseThrow().id());
        assertThat(lateTwice.session().providerReference()).isEqualTo("pay-C");
        assertThat(ports.loadBooking().loadBooking(first.id(), RowLock.NONE).orElseThrow().status()).isEqualTo(BookingStatus.CONFIRMED);
        assertThat(ports.loadTicket().loadTicketsOfEvent(eventId)).hasSize(1);

        // Each payment is refunded once, by its own reference: what the refund worker sends the provider.
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId))
                .extracting(RefundRequest::bookingId, RefundRequest::paymentReference, RefundRequest::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(late.id(), Optional.empty(), "paid after the checkout expired"),
                        org.assertj.core.groups.Tuple.tuple(twice.booking().orElseThrow().id(), Optional.of("pay-B"), "a second payment of the checkout"),
                        org.assertj.core.groups.Tuple.tuple(lateTwice.booking().orElseThrow().id(), Optional.of("pay-D"), "a second payment of the checkout"));
        assertThat(ports.refundRequests().claimDueRefundRequests(clock.instant(), clock.instant().plusSeconds(60), 10))
                .extracting(due -> due.providerPaymentRef().orElseThrow()).containsExactlyInAnyOrder("pay-C", "pay-B", "pay-D");
        EventSummary summary = summaryOf(eventId);
        assertThat(summary).isEqualTo(recountOf(eventId));
        assertThat(summary.refunds()).isEqualTo(expired.amount().plus(sold.amount()).plus(expired.amount()));
    }

    /** A {@code result} report for {@code session} of {@code amount}, under the provider's payment reference {@code reference}. */
    private PaymentResultApplied reported(PaymentSession session, PaymentResult result, String reference, Money amount) {
        return services.paymentResults().applyPaymentResult(new io.ticketing.domain.port.in.ApplyPaymentResultCommand(
                TicketingFixtures.PAYMENTS, session.id(), result, reference, amount));
    }

    @Test
    void a_payment_of_the_amount_before_the_customer_added_seats_confirms_nothing_and_is_refunded() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        var eventId = concert.event().id();
        Customer customer = given.customer();
        PaymentSession session = given.checkout(customer, concert, concert.seatIds(0, 1));
        Money before = session.amount();
        // The provider's payment page took the amount of one seat; meanwhile the customer added a second.
        PaymentSession grown = services.checkouts().addSeatsToSession(new io.ticketing.domain.port.in.AddSeatsToSessionCommand(
                io.ticketing.domain.model.Actor.customer(customer.id()), session.id(), concert.seatIds(1, 2)));

        PaymentResultApplied processing = reported(session, PaymentResult.PROCESSING, "pay-old", before);
        assertThat(processing.session().status()).as("not this checkout's payment").isEqualTo(PaymentSessionStatus.OPEN);
        assertThat(processing.booking()).isEmpty();
        PaymentResultApplied paidBefore = reported(session, PaymentResult.SUCCEEDED, "pay-old", before);
        PaymentResultApplied repeated = reported(session, PaymentResult.SUCCEEDED, "pay-old", before);

        assertThat(paidBefore.tickets()).isEmpty();
        assertThat(paidBefore.session().status()).isEqualTo(PaymentSessionStatus.OPEN);
        assertThat(paidBefore.booking()).hasValueSatisfying(booking -> {
            assertThat(booking.isRefunded()).isTrue();
            assertThat(booking.total()).as("what was paid").isEqualTo(before);
            assertThat(booking.paymentSessionId()).isEmpty();
        });
        assertThat(repeated.booking().orElseThrow().id()).as("a repeat requests nothing more").isEqualTo(paidBefore.booking().orElseThrow().id());
        assertThat(concert.seatIds(0, 2)).allSatisfy(seat -> assertThat(statusOf(eventId, seat)).isEqualTo(SeatStatus.RESERVED));
        // Another currency has no booking to stand for it, and a success under the checkout's own reference contradicts it.
        assertRejected(() -> reported(session, PaymentResult.SUCCEEDED, "pay-usd", Money.of(before.amount().toPlainString(), "USD")),
                RejectionReason.PAYMENT_AMOUNT_MISMATCH);
        assertRejected(() -> reported(session, PaymentResult.SUCCEEDED, null, before), RejectionReason.PAYMENT_AMOUNT_MISMATCH);

        // The checkout's own payment still confirms it.
        PaymentResultApplied paid = reported(session, PaymentResult.SUCCEEDED, "pay-new", grown.amount());
        assertThat(paid.session().status()).isEqualTo(PaymentSessionStatus.SUCCEEDED);
        assertThat(paid.tickets()).hasSize(2);
        assertRejected(() -> reported(session, PaymentResult.SUCCEEDED, "pay-new", before), RejectionReason.PAYMENT_AMOUNT_MISMATCH);

        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId))
                .extracting(RefundRequest::bookingId, RefundRequest::paymentReference, RefundRequest::amount, RefundRequest::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(paidBefore.booking().orElseThrow().id(), Optional.of("pay-old"),
                        before, "a payment of another amount than the checkout's"));
        assertThat(ports.refundRequests().claimDueRefundRequests(clock.instant(), clock.instant().plusSeconds(60), 10))
                .extracting(due -> due.providerPaymentRef().orElseThrow()).containsExactly("pay-old");
        EventSummary summary = summaryOf(eventId);
        assertThat(summary).isEqualTo(recountOf(eventId));
        assertThat(summary.refunds()).isEqualTo(before);
    }

    @Test
    void one_payment_reference_has_one_amount_and_a_failed_attempt_fails_no_other_payment() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        var eventId = concert.event().id();
        PaymentSession session = given.checkout(given.customer(), concert, concert.seatIds(0, 2));
        Money other = Money.of("5.00", "EUR");
        reported(session, PaymentResult.SUCCEEDED, "pay-other", other); // refunded: not the checkout's amount

        // The same payment reported again of another amount, or of the checkout's own: the provider contradicts itself.
        for (Money amount : List.of(Money.of("7.00", "EUR"), session.amount())) {
            assertRejected(() -> reported(session, PaymentResult.SUCCEEDED, "pay-other", amount), RejectionReason.PAYMENT_AMOUNT_MISMATCH);
        }
        // A success of nothing took nothing.
        assertThat(reported(session, PaymentResult.SUCCEEDED, "pay-zero", Money.of("0.00", "EUR")).booking()).isEmpty();
        // The checkout's payment is under way; another attempt fails: not this one.
        reported(session, PaymentResult.PROCESSING, "pay-own", session.amount());
        PaymentResultApplied otherFailed = reported(session, PaymentResult.FAILED, "pay-attempt", null);
        assertThat(otherFailed.session().status()).isEqualTo(PaymentSessionStatus.PROCESSING);
        assertThat(otherFailed.session().providerReference()).isEqualTo("pay-own");
        assertThat(reported(session, PaymentResult.SUCCEEDED, null, session.amount()).session().status()).isEqualTo(PaymentSessionStatus.SUCCEEDED);

        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId)).singleElement()
                .satisfies(refund -> assertThat(refund.amount()).isEqualTo(other));
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
    }

    @Test
    void a_success_without_a_reference_is_not_refunded_under_the_reference_of_a_failed_payment() {
        EventWithSeats concert = given.publishedEventWithSeats(1);
        PaymentSession session = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        reported(session, PaymentResult.FAILED, "pay-failed", null);

        assertThatThrownBy(() -> reported(session, PaymentResult.SUCCEEDED, null, session.amount()))
                .isInstanceOf(io.ticketing.domain.model.InvalidValueException.class).hasMessageContaining("providerReference is required");
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(concert.event().id())).isEmpty();
    }

    @Test
    void a_failure_while_issuing_tickets_rolls_back_the_payment_as_a_whole() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        PaymentSession session = given.checkout(given.customer(), concert, concert.seatIds(0, 2));
        TicketingServices withBrokenTicketStorage = TicketingServices.wire(withSaveTicket(new SaveTicketPort() {
            @Override
            public void insertTickets(List<Ticket> tickets) {
                throw new IllegalStateException("ticket storage is down");
            }

            @Override
            public void updateTicket(Ticket changed, TicketStatus expectedStatus) {
                throw new IllegalStateException("ticket storage is down");
            }
        }), LIMITS);

        assertThatThrownBy(() -> new TicketingFixtures(withBrokenTicketStorage, clock).report(session, PaymentResult.SUCCEEDED))
                .hasMessage("ticket storage is down");

        assertThat(ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE).orElseThrow().status())
                .isEqualTo(PaymentSessionStatus.OPEN);
        assertThat(ports.loadBooking().loadBookingOfPaymentSession(session.id())).isEmpty();
        assertThat(seatStatuses(concert.event().id()).values()).containsOnly(SeatStatus.RESERVED);
        assertThat(given.report(session, PaymentResult.SUCCEEDED).tickets()).hasSize(2);
    }

    @Test
    void expired_checkouts_release_their_seats_and_a_payment_after_that_books_nothing() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        PaymentSession stale = given.checkout(given.customer(), concert, concert.seatIds(0, 2));
        clock.advance(LIMITS.expiry().minusMinutes(1));
        PaymentSession fresh = given.checkout(given.customer(), concert, List.of(concert.seat(2)));
        clock.advance(Duration.ofMinutes(1));

        List<PaymentSessionId> expired = services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 10)).expired();

        assertThat(expired).containsExactly(stale.id());
        assertThat(seatStatuses(concert.event().id())).containsEntry(concert.seat(0), SeatStatus.AVAILABLE)
                .containsEntry(concert.seat(2), SeatStatus.RESERVED);
        assertThat(services.checkouts().getCheckout(new CheckoutCommand(ADMIN, fresh.id())).orElseThrow().status())
                .isEqualTo(PaymentSessionStatus.OPEN);
        PaymentResultApplied late = given.report(stale, PaymentResult.SUCCEEDED);
        assertThat(late.session().status()).isEqualTo(PaymentSessionStatus.EXPIRED);
        assertThat(late.booking().orElseThrow().isRefunded()).isTrue();
        assertThat(late.tickets()).isEmpty();
        assertThat(statusOf(concert.event().id(), concert.seat(0))).isEqualTo(SeatStatus.AVAILABLE);
    }

    @Test
    void concurrent_sweepers_expire_each_checkout_exactly_once() throws InterruptedException {
        EventWithSeats concert = given.publishedEventWithSeats(20);
        for (int i = 0; i < 20; i++) {
            given.checkout(given.customer(), concert, List.of(concert.seat(i)));
        }
        clock.advance(LIMITS.expiry());

        List<Outcome<List<PaymentSessionId>>> outcomes = race(IntStream.range(0, 8).boxed().toList(), sweeper -> {
            List<PaymentSessionId> mine = new ArrayList<>();
            List<PaymentSessionId> batch;
            do {
                batch = services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 3)).expired();
                mine.addAll(batch);
            } while (!batch.isEmpty());
            return mine;
        });

        List<PaymentSessionId> all = new ArrayList<>();
        outcomes.forEach(outcome -> {
            assertThat(outcome.failure()).as("a sweeper failed").isNull();
            all.addAll(outcome.value());
        });
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
        assertThat(seatStatuses(concert.event().id()).values()).containsOnly(SeatStatus.AVAILABLE);
    }

    @Test
    void a_payment_racing_the_sweeper_either_books_or_releases_never_both() throws InterruptedException {
        EventWithSeats concert = given.publishedEventWithSeats(8);
        List<PaymentSession> sessions = IntStream.range(0, 8)
                .mapToObj(i -> given.checkout(given.customer(), concert, List.of(concert.seat(i)))).toList();
        clock.advance(LIMITS.expiry());

        List<Outcome<Object>> outcomes = race(IntStream.range(0, 16).boxed().toList(), i -> i < 8
                ? given.report(sessions.get(i), PaymentResult.SUCCEEDED)
                : services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 2)).expired());

        // Every report is taken: before the sweeper it books, after it the payment is refunded.
        assertThat(outcomes.subList(0, 8)).allSatisfy(report -> assertThat(report.failure()).isNull());
        List<PaymentSessionId> refunded = new ArrayList<>();
        for (PaymentSession session : sessions) {
            PaymentSessionStatus status = ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE)
                    .orElseThrow().status();
            SeatStatus seat = statusOf(concert.event().id(), session.seatIds().get(0));
            assertThat(status).isIn(PaymentSessionStatus.SUCCEEDED, PaymentSessionStatus.EXPIRED);
            assertThat(seat).isEqualTo(status == PaymentSessionStatus.SUCCEEDED ? SeatStatus.BOOKED : SeatStatus.AVAILABLE);
            if (status == PaymentSessionStatus.EXPIRED) {
                refunded.add(session.id());
            }
        }
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(concert.event().id()))
                .extracting(refund -> refund.paymentSessionId().orElseThrow(), RefundRequest::reason)
                .containsExactlyInAnyOrderElementsOf(refunded.stream()
                        .map(id -> org.assertj.core.groups.Tuple.tuple(id, "paid after the checkout expired")).toList());
        assertThat(summaryOf(concert.event().id())).isEqualTo(recountOf(concert.event().id()));
    }

    /** A checkout that ended without a sale, how, its booking then (if any), and why money that comes after is refunded. */
    private record Ended(String how, PaymentSession session, Optional<Booking> booking, String refundReason) {
    }

    /** An event of 6 seats at {@link TicketingFixtures#SEAT_PRICE}, and checkouts of it that ended without a sale. */
    private record EndedCheckouts(EventWithSeats concert, List<Ended> ended) {
    }

    /**
     * Checkouts ended each way but the event's cancellation (EventCancellationContract): expired, its seat sold
     * since to another customer; cancelled by its customer, its seat held since by another checkout; failed at
     * once; failed while processing, its PENDING booking cancelled. The last seat stays for sale.
     */
    private EndedCheckouts checkoutsEndedWithoutASale() {
        EventWithSeats concert = given.publishedEventWithSeats(6);
        PaymentSession expiring = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        clock.advance(LIMITS.expiry());
        assertThat(services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 10)).expired())
                .containsExactly(expiring.id());
        given.paidBooking(given.customer(), concert, concert.seatIds(0, 1));
        Customer changedTheirMind = given.customer();
        PaymentSession cancelling = given.checkout(changedTheirMind, concert, concert.seatIds(1, 2));
        services.checkouts().cancelCheckout(new CheckoutCommand(Actor.customer(changedTheirMind.id()), cancelling.id()));
        given.checkout(given.customer(), concert, concert.seatIds(1, 2));
        PaymentResultApplied failedAtOnce = given.report(given.checkout(given.customer(), concert, concert.seatIds(2, 3)),
                PaymentResult.FAILED);
        PaymentSession processing = given.checkout(given.customer(), concert, concert.seatIds(3, 5));
        given.report(processing, PaymentResult.PROCESSING);
        PaymentResultApplied failedWhileProcessing = given.report(processing, PaymentResult.FAILED);
        return new EndedCheckouts(concert, List.of(
                new Ended("expired", stored(expiring), Optional.empty(), "paid after the checkout expired"),
                new Ended("cancelled by its customer", stored(cancelling), Optional.empty(), "paid after the checkout was cancelled"),
                new Ended("failed at once", failedAtOnce.session(), failedAtOnce.booking(), "paid after the payment failed"),
                new Ended("failed while processing", failedWhileProcessing.session(), failedWhileProcessing.booking(),
                        "paid after the payment failed")));
    }

    private PaymentSession stored(PaymentSession session) {
        return ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE).orElseThrow();
    }

    @Test
    void a_payment_that_succeeds_after_its_checkout_ended_is_accepted_and_refunded_and_moves_no_seat() {
        EndedCheckouts checkouts = checkoutsEndedWithoutASale();
        var eventId = checkouts.concert().event().id();
        var seats = seatStatuses(eventId);
        List<Ticket> tickets = ports.loadTicket().loadTicketsOfEvent(eventId);
        List<Booking> others = ports.loadBooking().loadBookingsOfEvent(eventId).stream()
                .filter(booking -> booking.status() != BookingStatus.CANCELLED).toList();
        var expectedRefunds = new ArrayList<org.assertj.core.groups.Tuple>();
        Money paidLate = Money.zero(checkouts.concert().event().currency());

        for (Ended checkout : checkouts.ended()) {
            PaymentResultApplied late = given.report(checkout.session(), PaymentResult.SUCCEEDED);
            PaymentResultApplied repeated = given.report(checkout.session(), PaymentResult.SUCCEEDED);

            assertThat(late.session().status()).as(checkout.how()).isEqualTo(checkout.session().status());
            assertThat(late.session().providerReference()).as(checkout.how()).isEqualTo("provider-" + checkout.session().id());
            assertThat(late.tickets()).as(checkout.how()).isEmpty();
            Booking paid = late.booking().orElseThrow();
            assertThat(paid.isRefunded()).as(checkout.how()).isTrue();
            assertThat(paid.total()).as(checkout.how()).isEqualTo(checkout.session().amount());
            assertThat(paid.seatIds()).as(checkout.how()).containsExactlyElementsOf(checkout.session().seatIds());
            checkout.booking().ifPresent(before -> assertThat(paid.id()).as(checkout.how()).isEqualTo(before.id()));
            assertThat(repeated.booking().orElseThrow().id()).as(checkout.how()).isEqualTo(paid.id());
            assertThat(repeated.session().status()).as(checkout.how()).isEqualTo(checkout.session().status());
            expectedRefunds.add(org.assertj.core.groups.Tuple.tuple(checkout.session().id(), paid.id(),
                    checkout.session().amount(), checkout.refundReason()));
            paidLate = paidLate.plus(checkout.session().amount());
        }

        // One refund each, for what the checkout cost and why; none twice.
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId))
                .extracting(refund -> refund.paymentSessionId().orElseThrow(), RefundRequest::bookingId, RefundRequest::amount,
                        RefundRequest::reason)
                .containsExactlyInAnyOrderElementsOf(expectedRefunds);
        // No seat moved, no ticket was issued, and the customers who bought or hold the seats since keep them.
        assertThat(seatStatuses(eventId)).isEqualTo(seats);
        assertThat(ports.loadTicket().loadTicketsOfEvent(eventId)).containsExactlyInAnyOrderElementsOf(tickets);
        assertThat(ports.loadBooking().loadBookingsOfEvent(eventId).stream()
                .filter(booking -> booking.status() != BookingStatus.CANCELLED).toList()).isEqualTo(others);
        EventSummary summary = summaryOf(eventId);
        assertThat(summary).isEqualTo(recountOf(eventId));
        assertThat(summary.refunds()).isEqualTo(paidLate);
        assertThat(summary.grossRevenue()).isEqualTo(paidLate.plus(Money.of("25.00", "EUR")));
        assertThat(summary.ticketsSold()).isEqualTo(1);
    }

    @Test
    void a_late_processing_or_failed_report_of_a_checkout_that_ended_is_taken_and_changes_nothing() {
        EndedCheckouts checkouts = checkoutsEndedWithoutASale();
        var eventId = checkouts.concert().event().id();
        var seats = seatStatuses(eventId);
        List<Booking> bookings = ports.loadBooking().loadBookingsOfEvent(eventId);
        EventSummary summary = summaryOf(eventId);

        for (Ended checkout : checkouts.ended()) {
            for (PaymentResult result : List.of(PaymentResult.PROCESSING, PaymentResult.FAILED)) {
                PaymentResultApplied report = given.report(checkout.session(), result);

                String what = result + " after " + checkout.how();
                assertThat(report.session()).as(what).isEqualTo(stored(checkout.session()));
                assertThat(report.session().status()).as(what).isEqualTo(checkout.session().status());
                assertThat(report.booking().map(Booking::id)).as(what).isEqualTo(checkout.booking().map(Booking::id));
                report.booking().ifPresent(booking -> assertThat(booking.wasPaid()).as(what).isFalse());
                assertThat(report.tickets()).as(what).isEmpty();
            }
        }

        assertThat(seatStatuses(eventId)).isEqualTo(seats);
        assertThat(ports.loadBooking().loadBookingsOfEvent(eventId)).containsExactlyInAnyOrderElementsOf(bookings);
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId)).isEmpty();
        assertThat(summaryOf(eventId)).isEqualTo(summary).isEqualTo(recountOf(eventId));
    }

    @Test
    void cancelling_a_booking_cancels_its_tickets_owes_its_refund_and_releases_its_seats() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        Booking booking = given.paidBooking(customer, concert, concert.seatIds(0, 2)).booking().orElseThrow();

        Booking cancelled = services.bookings().cancelBooking(new BookingCommand(Actor.customer(customer.id()), booking.id()));

        assertThat(cancelled.status()).isEqualTo(BookingStatus.CANCELLED);
        // REFUNDED once the provider reports the money back (RefundWorkerContract): until then CANCELLED, refund owed.
        assertThat(ports.loadTicket().loadTicketsOfBooking(booking.id()))
                .extracting(Ticket::status).containsOnly(TicketStatus.CANCELLED);
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(concert.event().id()))
                .extracting(RefundRequest::bookingId, RefundRequest::amount, RefundRequest::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(booking.id(), booking.total(), RefundRequest.Status.REQUESTED));
        assertThat(seatStatuses(concert.event().id()).values()).containsOnly(SeatStatus.AVAILABLE);
        EventSummary summary = summaryOf(concert.event().id());
        assertThat(summary.grossRevenue()).isEqualTo(Money.of("50.00", "EUR"));
        assertThat(summary.refunds()).isEqualTo(Money.of("50.00", "EUR"));
        assertThat(summary.ticketsSold()).isZero();
        assertThat(given.paidBooking(given.customer(), concert, concert.seatIds(0, 2)).tickets()).hasSize(2);
    }

    @Test
    void a_ticket_is_checked_in_once_even_when_scanned_at_two_doors_at_once() throws InterruptedException {
        EventWithSeats concert = given.publishedEventWithSeats(1);
        Ticket ticket = given.paidBooking(given.customer(), concert, concert.seatIds(0, 1)).tickets().get(0);
        CheckInCommand scan = new CheckInCommand(DOOR_STAFF, concert.event().id(), ticket.code());

        List<Outcome<Ticket>> outcomes = race(IntStream.range(0, 8).boxed().toList(), door -> services.checkIn().checkIn(scan));

        assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(1);
        assertThat(outcomes.stream().filter(outcome -> !outcome.succeeded())).allSatisfy(outcome ->
                assertThat(outcome.failure()).hasMessageContaining("already checked in"));
        assertThat(ports.loadTicket().loadTicketByCode(ticket.code(), RowLock.NONE).orElseThrow().status())
                .isEqualTo(TicketStatus.USED);
        assertThat(summaryOf(concert.event().id()).ticketsCheckedIn()).isEqualTo(1);
        assertRejected(() -> services.checkIn().checkIn(scan), RejectionReason.TICKET_ALREADY_USED);
    }

    @Test
    void an_unknown_ticket_code_is_not_found() {
        EventWithSeats concert = given.publishedEventWithSeats(1);
        assertThatThrownBy(() -> services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, concert.event().id(),
                TicketCode.random()))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void customers_see_only_their_own_checkouts_bookings_and_tickets() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        Customer owner = given.customer();
        Actor stranger = Actor.customer(given.customer().id());
        PaymentResultApplied paid = given.paidBooking(owner, concert, concert.seatIds(0, 1));
        BookingId bookingId = paid.booking().orElseThrow().id();

        assertThat(services.checkouts().getCheckout(new CheckoutCommand(stranger, paid.session().id()))).isEmpty();
        assertThat(services.bookings().getBooking(new BookingCommand(stranger, bookingId))).isEmpty();
        assertThatThrownBy(() -> services.bookings().getBookingSeats(new BookingCommand(stranger, bookingId)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> services.bookings().getBookingTickets(new BookingCommand(stranger, bookingId)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> services.bookings().cancelBooking(new BookingCommand(stranger, bookingId)))
                .isInstanceOf(NotFoundException.class);
        assertThat(services.bookings().listCustomerBookings(new ListCustomerBookingsQuery(stranger, owner.id(), null, 10))
                .bookings()).isEmpty();

        Actor asOwner = Actor.customer(owner.id());
        assertThat(services.bookings().getBooking(new BookingCommand(asOwner, bookingId))).isPresent();
        assertThat(services.bookings().getBookingTickets(new BookingCommand(asOwner, bookingId))).hasSize(1);
    }

    @Test
    void a_customers_bookings_are_paged_newest_first_without_gaps_or_repeats() {
        EventWithSeats concert = given.publishedEventWithSeats(5);
        Customer customer = given.customer();
        List<BookingId> madeInOrder = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            madeInOrder.add(given.paidBooking(customer, concert, List.of(concert.seat(i))).booking().orElseThrow().id());
            clock.advance(Duration.ofSeconds(1));
        }
        EventWithSeats other = given.publishedEventWithSeats(1);
        given.paidBooking(given.customer(), other, other.seatIds(0, 1)); // someone else's: never on these pages

        List<BookingId> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        Optional<BookingId> cursor = Optional.empty();
        do {
            BookingPage page = services.bookings().listCustomerBookings(new ListCustomerBookingsQuery(
                    Actor.customer(customer.id()), customer.id(), cursor.orElse(null), 2));
            page.bookings().forEach(booking -> seen.add(booking.id()));
            pageSizes.add(page.bookings().size());
            cursor = page.nextAfter();
        } while (cursor.isPresent());

        assertThat(pageSizes).containsExactly(2, 2, 1);
        Collections.reverse(madeInOrder);
        assertThat(seen).containsExactlyElementsOf(madeInOrder);
    }

    @Test
    void a_customers_bookings_are_paged_by_creation_time_even_where_their_ids_sort_otherwise() {
        // As a migrated booking's: its legacy creation time under an id that sorts anywhere. Here each booking is
        // made an hour before the one made just before it, under an id that sorts after that one's.
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        List<BookingId> newestFirst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            newestFirst.add(given.paidBooking(customer, concert, List.of(concert.seat(i))).booking().orElseThrow().id());
            clock.advance(Duration.ofHours(-1));
        }

        List<BookingId> seen = new ArrayList<>();
        Optional<BookingId> cursor = Optional.empty();
        do {
            BookingPage page = services.bookings().listCustomerBookings(new ListCustomerBookingsQuery(
                    Actor.customer(customer.id()), customer.id(), cursor.orElse(null), 2));
            page.bookings().forEach(booking -> seen.add(booking.id()));
            cursor = page.nextAfter();
        } while (cursor.isPresent());

        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void the_summary_always_equals_a_recount_and_the_sales_view_agrees_after_a_refresh() {
        EventWithSeats concert = given.publishedEventWithSeats(6);
        Customer customer = given.customer();
        PaymentResultApplied kept = given.paidBooking(customer, concert, concert.seatIds(0, 2));
        Booking refunded = given.paidBooking(customer, concert, concert.seatIds(2, 3)).booking().orElseThrow();
        services.bookings().cancelBooking(new BookingCommand(ADMIN, refunded.id()));
        given.checkout(given.customer(), concert, List.of(concert.seat(3)));
        services.seats().blockSeats(new SeatAdminCommand(ADMIN, concert.event().id(),
                List.of(concert.seat(4))));
        services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, concert.event().id(), kept.tickets().get(0).code()));

        EventSummary summary = services.statistics().getEventStats(
                new EventQuery(ADMIN, concert.event().id())).orElseThrow();

        assertThat(summary).isEqualTo(recountOf(concert.event().id()));
        assertThat(summary).isEqualTo(new EventSummary(concert.event().id(), 2, 1, 2, 1, 1, 2, 1,
                Money.of("75.00", "EUR"), Money.of("25.00", "EUR")));

        List<EventSalesRow> rows = services.statistics().getEventSalesAnalytics(new SalesAnalyticsQuery(ADMIN, true));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.ticketsSold()).isEqualTo(2);
            assertThat(row.bookings()).isEqualTo(1);
            assertThat(row.totalRevenue()).isEqualTo(Money.of("50.00", "EUR"));
            assertThat(row.refunds()).isEqualTo(Money.of("25.00", "EUR"));
            assertThat(row.sellThrough()).isEqualByComparingTo(new BigDecimal("0.3333"));
            assertThat(row.lastSaleAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void customers_are_unique_by_email_even_when_registered_concurrently() throws InterruptedException {
        List<Outcome<Customer>> outcomes = race(IntStream.range(0, 8).boxed().toList(), i -> services.customers()
                .ensureCustomer(new RegisterCustomerCommand(Actor.anonymous(), "Same@Example.org", "Same " + i)));

        Set<Object> ids = new HashSet<>();
        outcomes.forEach(outcome -> ids.add(outcome.value().id()));
        assertThat(ids).hasSize(1);
        assertThat(ports.loadCustomer().loadCustomerByEmail("same@example.org")).isPresent();
        assertRejected(() -> services.customers().registerCustomer(new RegisterCustomerCommand(Actor.anonymous(),
                "SAME@example.org", "Again")), RejectionReason.EMAIL_TAKEN);
    }

    @Test
    void session_booking_and_ticket_updates_only_apply_from_the_expected_status() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        PaymentResultApplied paid = given.paidBooking(given.customer(), concert, concert.seatIds(0, 1));
        PaymentSession session = paid.session();
        Booking booking = paid.booking().orElseThrow();
        Ticket ticket = paid.tickets().get(0);

        assertThatThrownBy(() -> inUnitOfWork(ADMIN, () -> {
            ports.savePaymentSession().updatePaymentSession(session, PaymentSessionStatus.OPEN);
            return null;
        })).isInstanceOf(ConcurrentChangeException.class);
        assertThatThrownBy(() -> inUnitOfWork(ADMIN, () -> {
            ports.saveBooking().updateBooking(booking.cancel(clock.instant()), BookingStatus.PENDING);
            return null;
        })).isInstanceOf(ConcurrentChangeException.class);
        assertThatThrownBy(() -> inUnitOfWork(ADMIN, () -> {
            ports.saveTicket().updateTicket(ticket.refund(), TicketStatus.USED);
            return null;
        })).isInstanceOf(ConcurrentChangeException.class);

        assertThat(ports.loadBooking().loadBooking(booking.id(), RowLock.NONE)).contains(booking);
        assertThat(ports.loadTicket().loadTicketByCode(ticket.code(), RowLock.NONE)).contains(ticket);
    }

    @Test
    void open_checkouts_are_the_open_ones_not_yet_expired_a_processing_one_is_the_providers() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        PaymentSession processing = given.checkout(customer, concert, concert.seatIds(0, 1));
        given.report(processing, PaymentResult.PROCESSING);
        given.checkout(customer, concert, concert.seatIds(1, 2));
        assertThat(ports.loadPaymentSession().countOpenPaymentSessions(customer.id(), clock.instant())).isEqualTo(1);

        clock.advance(LIMITS.expiry());

        assertThat(ports.loadPaymentSession().countOpenPaymentSessions(customer.id(), clock.instant())).isZero();
        assertThat(ports.claimExpiredPaymentSessions().claimExpiredOpenSessions(clock.instant(), 10, Set.of()))
                .extracting(PaymentSession::customerId).containsExactly(customer.id());
    }

    @Test
    void claiming_expired_checkouts_leaves_out_those_the_sweeper_skips() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        PaymentSession first = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        PaymentSession second = given.checkout(given.customer(), concert, concert.seatIds(1, 2));
        clock.advance(LIMITS.expiry());

        assertThat(inUnitOfWork(ADMIN, () -> ports.claimExpiredPaymentSessions()
                .claimExpiredOpenSessions(clock.instant(), 10, Set.of(first.id()))))
                .extracting(PaymentSession::id).containsExactly(second.id());
    }

    @Test
    void ensuring_a_customer_twice_returns_the_first_one() {
        Customer first = services.customers().ensureCustomer(new RegisterCustomerCommand(Actor.anonymous(), "ann@example.org", "Ann"));
        Customer again = inUnitOfWork(ADMIN, () -> ports.saveCustomer().insertCustomerIfAbsent(
                Customer.register("ANN@example.org", "Someone else", clock.instant())));

        assertThat(again).isEqualTo(first);
        assertThat(ports.loadCustomer().loadCustomer(first.id(), RowLock.NONE)).contains(first);
    }

    @Test
    void a_stored_customer_whose_address_no_new_customer_could_register_is_found_and_ensured_not_registered_again() {
        // As the legacy import stores one: the address the legacy app kept, lowered.
        Customer migrated = inUnitOfWork(ADMIN, () -> ports.saveCustomer().insertCustomerIfAbsent(
                new Customer(CustomerId.newId(), "two@at@example.org", "Two", clock.instant())));

        assertThat(services.customers().findCustomer("Two@At@example.org")).contains(migrated);
        assertThat(services.customers().ensureCustomer(new RegisterCustomerCommand(Actor.anonymous(), "two@at@example.org", "Two"))).isEqualTo(migrated);
        assertThatThrownBy(() -> services.customers().ensureCustomer(new RegisterCustomerCommand(Actor.anonymous(), "three@at@example.org", "Three")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("not an email");
        assertThat(services.customers().findCustomer("three@at@example.org")).isEmpty();
    }

    @Test
    void a_booking_without_a_checkout_of_its_own_is_served_cancelled_and_refunded_like_any_other() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        Actor asCustomer = Actor.customer(customer.id());
        Booking stored = storedBookingWithoutCheckout(customer, concert, concert.seatIds(0, 2), null);
        List<Ticket> tickets = ports.loadTicket().loadTicketsOfBooking(stored.id());

        assertThat(stored.paymentSessionId()).isEmpty();
        assertThat(ports.loadBooking().loadBooking(stored.id(), RowLock.NONE)).contains(stored);
        assertThat(services.bookings().getBooking(new BookingCommand(asCustomer, stored.id()))).contains(stored);
        assertThat(services.bookings().listCustomerBookings(new ListCustomerBookingsQuery(asCustomer, customer.id(), null, 10))
                .bookings()).containsExactly(stored);
        assertThat(services.bookings().getBookingTickets(new BookingCommand(asCustomer, stored.id())))
                .extracting(Ticket::status).containsExactly(TicketStatus.VALID, TicketStatus.VALID);
        assertThat(summaryOf(concert.event().id())).isEqualTo(recountOf(concert.event().id()));

        Booking cancelled = services.bookings().cancelBooking(new BookingCommand(asCustomer, stored.id()));

        assertThat(cancelled.status()).isEqualTo(BookingStatus.CANCELLED);
        assertThat(cancelled.paymentSessionId()).isEmpty();
        assertThat(ports.loadBooking().loadBooking(stored.id(), RowLock.NONE)).contains(cancelled);
        assertThat(ports.loadTicket().loadTicketsOfBooking(stored.id())).extracting(Ticket::status)
                .containsOnly(TicketStatus.CANCELLED).hasSize(tickets.size());
        // Owed like any other, without a checkout: the refund worker leaves it FAILED for an operator to pay by hand.
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(concert.event().id())).singleElement().satisfies(refund -> {
            assertThat(refund.bookingId()).isEqualTo(stored.id());
            assertThat(refund.paymentSessionId()).isEmpty();
            assertThat(refund.amount()).isEqualTo(stored.total());
        });
        assertThat(seatStatuses(concert.event().id()).values()).containsOnly(SeatStatus.AVAILABLE);
        EventSummary summary = summaryOf(concert.event().id());
        assertThat(summary).isEqualTo(recountOf(concert.event().id()));
        assertThat(summary.refunds()).isEqualTo(Money.of("50.00", "EUR"));
        assertThat(given.paidBooking(given.customer(), concert, concert.seatIds(0, 1)).tickets()).hasSize(1);
    }

    @Test
    void bookings_marked_for_review_are_listed_oldest_first_until_an_operator_clears_the_mark() {
        EventWithSeats concert = given.publishedEventWithSeats(5);
        Customer customer = given.customer();
        List<Booking> marked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            marked.add(storedBookingWithoutCheckout(customer, concert, List.of(concert.seat(i)), "seat quarantined: unknown seat (1 of 2 seats)"));
            clock.advance(Duration.ofSeconds(1));
        }
        given.paidBooking(customer, concert, List.of(concert.seat(3))); // nothing to review: never listed

        List<BookingId> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        Optional<BookingId> cursor = Optional.empty();
        do {
            BookingPage page = services.bookings().listBookingsToReview(new ListBookingsToReviewQuery(ADMIN, cursor.orElse(null), 2));
            page.bookings().forEach(booking -> seen.add(booking.id()));
            pageSizes.add(page.bookings().size());
            cursor = page.nextAfter();
        } while (cursor.isPresent());
        assertThat(pageSizes).containsExactly(2, 1);
        assertThat(seen).containsExactlyElementsOf(marked.stream().map(Booking::id).toList());
        assertThat(ports.loadBooking().loadBooking(marked.get(0).id(), RowLock.NONE).orElseThrow().reviewReason())
                .contains("seat quarantined: unknown seat (1 of 2 seats)");

        Actor asCustomer = Actor.customer(customer.id());
        assertRejected(() -> services.bookings().listBookingsToReview(new ListBookingsToReviewQuery(asCustomer, null, 10)),
                RejectionReason.ACCESS_DENIED);
        assertRejected(() -> services.bookings().markBookingReviewed(new BookingCommand(asCustomer, marked.get(1).id())),
                RejectionReason.ACCESS_DENIED);

        Booking reviewed = services.bookings().markBookingReviewed(new BookingCommand(ADMIN, marked.get(1).id()));

        assertThat(reviewed.reviewReason()).isEmpty();
        assertThat(reviewed).isEqualTo(marked.get(1).reviewDone());
        assertThat(ports.loadBooking().loadBooking(marked.get(1).id(), RowLock.NONE)).contains(reviewed);
        assertThat(services.bookings().listBookingsToReview(new ListBookingsToReviewQuery(ADMIN, null, 10)).bookings())
                .extracting(Booking::id).containsExactly(marked.get(0).id(), marked.get(2).id());
        assertThat(services.bookings().markBookingReviewed(new BookingCommand(ADMIN, marked.get(1).id()))).isEqualTo(reviewed);
        assertThatThrownBy(() -> services.bookings().markBookingReviewed(new BookingCommand(ADMIN, BookingId.newId())))
                .isInstanceOf(NotFoundException.class);
    }

    /**
     * A CONFIRMED booking with VALID tickets stored straight through the ports, without a checkout, as the
     * legacy import stores one: its seats BOOKED, at the seats' prices, created now.
     */
    private Booking storedBookingWithoutCheckout(Customer customer, EventWithSeats event, List<SeatId> seats, String reviewReason) {
        return inUnitOfWork(ADMIN, () -> {
            EventId eventId = event.event().id();
            assertThat(ports.seatTransition().transitionSeats(eventId, seats, SeatStatus.AVAILABLE, SeatStatus.RESERVED).done()).isTrue();
            assertThat(ports.seatTransition().transitionSeats(eventId, seats, SeatStatus.RESERVED, SeatStatus.BOOKED).done()).isTrue();
            List<BookedSeat> booked = ports.loadSeat().loadSeats(eventId, seats).stream()
                    .map(seat -> new BookedSeat(seat.id(), seat.price())).toList();
            Booking booking = new Booking(BookingId.newId(), eventId, customer.id(), Optional.empty(), booked,
                    Money.sum(event.event().currency(), booked.stream().map(BookedSeat::price).toList()),
                    BookingStatus.CONFIRMED, clock.instant(), clock.instant(), null, Optional.ofNullable(reviewReason));
            ports.saveBooking().insertBooking(booking);
            ports.saveTicket().insertTickets(seats.stream().map(seat -> Ticket.issue(booking, seat, clock.instant())).toList());
            return booking;
        });
    }

    private TicketingPorts withSaveTicket(SaveTicketPort saveTicket) {
        return new TicketingPorts(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.saveEvent(),
                ports.loadSeat(), ports.saveSeat(), ports.seatTransition(), ports.loadPaymentSession(),
                ports.savePaymentSession(), ports.claimExpiredPaymentSessions(), ports.loadBooking(),
                ports.saveBooking(), ports.loadTicket(), saveTicket, ports.loadCustomer(), ports.saveCustomer(),
                ports.loadEventSummary(), ports.eventSalesAnalytics(), ports.eventCancellation(), ports.refundRequests());
    }
}
