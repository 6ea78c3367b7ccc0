package io.ticketing.domain.testing.contract;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.ApplyRefundResultCommand;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.RefundApplied;
import io.ticketing.domain.port.in.RefundRun;
import io.ticketing.domain.port.in.SendRefundsCommand;
import io.ticketing.domain.port.in.SendRefundsUseCase;
import io.ticketing.domain.port.out.RefundPaymentPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.service.RefundResultService;
import io.ticketing.domain.service.RefundService;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The refund worker over the refund outbox, as any adapter must store it: claimed with a lease, sent once per
 * booking under its idempotency key, its outcome recorded (SENT, a retry with backoff, FAILED); and the provider's
 * `refunded` report that completes it (REFUNDED, with its booking's cancelled tickets).
 */
public abstract class RefundWorkerContract extends TicketingContractSupport {

    private static final Actor WORKER = Actor.system("refund-worker");

    private RecordingRefundProvider provider;
    private RefundService worker;

    @BeforeEach
    void aWorkerAndAProvider() {
        provider = new RecordingRefundProvider();
        worker = workerOn(ports.refundRequests());
    }

    private RefundService workerOn(RefundRequestPort refundRequests) {
        return new RefundService(ports.unitOfWork(), ports.clock(), refundRequests, provider);
    }

    /** A cancelled event with {@code bookings} paid bookings, each owed a refund. */
    private List<Booking> refundsOwed(int bookings) {
        EventWithSeats concert = given.publishedEventWithSeats(bookings * 2);
        List<Booking> paid = new ArrayList<>();
        for (int i = 0; i < bookings; i++) {
            paid.add(given.paidBooking(given.customer(), concert, concert.seatIds(2 * i, 2 * i + 2)).booking().orElseThrow());
        }
        given.cancelledEvent(concert.event().id());
        return paid;
    }

    private RefundRequest refundOf(Booking booking) {
        return ports.refundRequests().loadRefundRequestsOfEvent(booking.eventId()).stream()
                .filter(request -> request.bookingId().equals(booking.id())).findFirst().orElseThrow();
    }

    private RefundRun run() {
        return worker.sendDueRefunds(new SendRefundsCommand(WORKER, SendRefundsUseCase.DEFAULT_BATCH_SIZE));
    }

    @Test
    void a_requested_refund_is_sent_to_the_provider_once_under_its_idempotency_key_and_is_then_sent() {
        Booking paid = refundsOwed(1).get(0);

        RefundRun first = run();
        RefundRun again = run();

        assertThat(first).isEqualTo(new RefundRun(1, 1, 0, 0));
        assertThat(again).isEqualTo(new RefundRun(0, 0, 0, 0));
        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.SENT);
        assertThat(provider.refunded()).singleElement().satisfies(refund -> {
            assertThat(refund.idempotencyKey()).isEqualTo("refund-" + paid.id().value());
            assertThat(refund.amount()).isEqualTo(paid.total());
            assertThat(refund.providerPaymentRef()).isEqualTo("provider-" + paid.paymentSessionId().orElseThrow());
        });
    }

    @Test
    void a_transient_failure_is_retried_after_a_backoff_and_then_sent() {
        Booking paid = refundsOwed(1).get(0);
        provider.failWith(refund -> new RefundPaymentPort.RetryLater("provider unavailable"));

        assertThat(run()).isEqualTo(new RefundRun(1, 0, 1, 0));
        provider.succeed();
        assertThat(run()).as("not due before its backoff").isEqualTo(new RefundRun(0, 0, 0, 0));
        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.REQUESTED);

        clock.advance(SendRefundsUseCase.retryAfter(1));
        assertThat(run()).isEqualTo(new RefundRun(1, 1, 0, 0));

        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.SENT);
        assertThat(provider.callsByKey()).containsExactly(Map.entry("refund-" + paid.id().value(), 2));
        assertThat(provider.refunded()).hasSize(1);
    }

    @Test
    void a_refund_failing_every_attempt_is_failed_after_the_last_one() {
        Booking paid = refundsOwed(1).get(0);
        provider.failWith(refund -> new RefundPaymentPort.RetryLater("provider unavailable"));

        for (int attempt = 1; attempt < SendRefundsUseCase.MAX_ATTEMPTS; attempt++) {
            assertThat(run()).isEqualTo(new RefundRun(1, 0, 1, 0));
            clock.advance(SendRefundsUseCase.retryAfter(attempt));
        }
        assertThat(run()).isEqualTo(new RefundRun(1, 0, 0, 1));
        clock.advance(SendRefundsUseCase.LEASE.multipliedBy(100));
        assertThat(run()).as("a FAILED refund is not sent again").isEqualTo(new RefundRun(0, 0, 0, 0));

        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.FAILED);
        assertThat(provider.callsByKey()).containsExactly(Map.entry("refund-" + paid.id().value(), SendRefundsUseCase.MAX_ATTEMPTS));
        assertThat(provider.refunded()).isEmpty();
    }

    @Test
    void a_refund_the_provider_refuses_is_failed_at_once() {
        Booking paid = refundsOwed(1).get(0);
        provider.failWith(refund -> new RefundPaymentPort.Refused("payment already refunded"));

        assertThat(run()).isEqualTo(new RefundRun(1, 0, 0, 1));

        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.FAILED);
    }

    @Test
    void a_batch_stops_sending_when_a_slow_provider_used_up_its_lease_and_the_rest_is_sent_after_it() {
        List<Booking> paid = refundsOwed(3);
        provider.failWith(refund -> {
            clock.advance(SendRefundsUseCase.LEASE.minusSeconds(30)); // a provider answering very slowly
            return null;
        });

        RefundRun first = run();

        assertThat(first.claimed()).isEqualTo(3);
        assertThat(first.sent()).isEqualTo(1);
        assertThat(first.retrying() + first.failed()).isZero();
        provider.succeed();
        assertThat(run()).as("still leased").isEqualTo(new RefundRun(0, 0, 0, 0));
        clock.advance(SendRefundsUseCase.LEASE);
        assertThat(run()).isEqualTo(new RefundRun(2, 2, 0, 0));
        assertThat(provider.callsByKey().values()).containsOnly(1).hasSize(3);
        assertThat(paid).allSatisfy(booking -> assertThat(refundOf(booking).status()).isEqualTo(RefundRequest.Status.SENT));
    }

    @Test
    void two_workers_at_once_send_each_refund_exactly_once() throws InterruptedException {
        List<Booking> paid = refundsOwed(6);
        RefundService other = workerOn(ports.refundRequests());
        provider.failWith(refund -> {
            try {
                Thread.sleep(20); // a provider's round trip, so that the workers overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });

        List<Outcome<Integer>> outcomes = race(List.of(worker, other), service -> {
            int sent = 0;
            RefundRun run;
            do {
                run = service.sendDueRefunds(new SendRefundsCommand(WORKER, 2));
                sent += run.sent();
            } while (run.claimed() > 0);
            return sent;
        });

        assertThat(outcomes).allMatch(Outcome::succeeded);
        assertThat(outcomes.stream().mapToInt(Outcome::value).sum()).isEqualTo(6);
        assertThat(provider.callsByKey()).isEqualTo(paid.stream()
                .collect(Collectors.toMap(booking -> "refund-" + booking.id().value(), booking -> 1)));
        assertThat(paid).allSatisfy(booking -> assertThat(refundOf(booking).status()).isEqualTo(RefundRequest.Status.SENT));
    }

    @Test
    void a_crash_between_the_providers_answer_and_its_record_resends_under_the_same_key_and_the_provider_refunds_once() {
        Booking paid = refundsOwed(1).get(0);
        RefundRequestPort crashingBeforeTheRecord = new RefundRequestPort() {
            @Override
            public int insertRefundRequests(List<RefundRequest> requests) {
                return ports.refundRequests().insertRefundRequests(requests);
            }

            @Override
            public List<RefundRequest> loadRefundRequestsOfEvent(EventId eventId) {
                return ports.refundRequests().loadRefundRequestsOfEvent(eventId);
            }

            @Override
            public List<DueRefund> claimDueRefundRequests(Instant now, Instant leasedUntil, int limit) {
                return ports.refundRequests().claimDueRefundRequests(now, leasedUntil, limit);
            }

            @Override
            public boolean recordRefundAttempt(RefundAttempt attempt) {
                throw new IllegalStateException("the worker died before recording the provider's answer");
            }

            @Override
            public Optional<RefundRequest> loadRefundRequestOfPaymentSession(PaymentSessionId paymentSessionId, String refundReference,
                                                                             RowLock lock) {
                return ports.refundRequests().loadRefundRequestOfPaymentSession(paymentSessionId, refundReference, lock);
            }

            @Override
            public Optional<RefundRequest> loadRefundRequestOfAnotherPayment(EventId eventId, PaymentSessionId paymentSessionId,
                                                                             String paymentReference) {
                return ports.refundRequests().loadRefundRequestOfAnotherPayment(eventId, paymentSessionId, paymentReference);
            }

            @Override
            public boolean recordRefundCompleted(RefundRequest request, String providerRefundRef, Instant completedAt) {
                return ports.refundRequests().recordRefundCompleted(request, providerRefundRef, completedAt);
            }
        };

        assertThatThrownBy(() -> workerOn(crashingBeforeTheRecord)
                .sendDueRefunds(new SendRefundsCommand(WORKER, SendRefundsUseCase.DEFAULT_BATCH_SIZE)))
                .hasMessageContaining("died");
        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.REQUESTED);
        assertThat(run()).as("leased to the worker that died, until the lease runs out").isEqualTo(new RefundRun(0, 0, 0, 0));

        clock.advance(SendRefundsUseCase.LEASE);
        assertThat(run()).isEqualTo(new RefundRun(1, 1, 0, 0));

        String key = "refund-" + paid.id().value();
        assertThat(provider.callsByKey()).containsExactly(Map.entry(key, 2));
        assertThat(provider.refunded()).singleElement().extracting(RefundPaymentPort.Refund::idempotencyKey).isEqualTo(key);
        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.SENT);
    }

    private RefundApplied reportRefunded(Booking booking, Money amount) {
        return new RefundResultService(ports.unitOfWork(), ports.clock(), ports.refundRequests(), ports.loadTicket(),
                ports.saveTicket()).applyRefundResult(new ApplyRefundResultCommand(TicketingFixtures.PAYMENTS,
                booking.paymentSessionId().orElseThrow(), "re_reported", amount));
    }

    @Test
    void the_providers_refunded_report_refunds_the_request_and_the_cancelled_tickets_once_and_moves_no_sum() {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        PaymentResultApplied paid = given.paidBooking(given.customer(), concert, concert.seatIds(0, 3));
        Booking booking = paid.booking().orElseThrow();
        Ticket used = services.checkIn().checkIn(new CheckInCommand(TicketingFixtures.DOOR_STAFF, concert.event().id(),
                paid.tickets().get(0).code()));
        given.cancelledEvent(concert.event().id());
        run();
        EventSummary before = summaryOf(concert.event().id());

        RefundApplied applied = reportRefunded(booking, booking.total());
        RefundApplied repeated = reportRefunded(booking, booking.total());

        assertThat(applied.refund().status()).isEqualTo(RefundRequest.Status.REFUNDED);
        assertThat(refundOf(booking).status()).isEqualTo(RefundRequest.Status.REFUNDED);
        assertThat(ports.loadTicket().loadTicketsOfBooking(booking.id())).extracting(Ticket::id, Ticket::status)
                .containsExactlyInAnyOrderElementsOf(paid.tickets().stream().map(ticket -> org.assertj.core.groups.Tuple.tuple(
                        ticket.id(), ticket.id().equals(used.id()) ? TicketStatus.USED : TicketStatus.REFUNDED)).toList());
        assertThat(repeated.refund().status()).isEqualTo(RefundRequest.Status.REFUNDED);
        assertThat(repeated.tickets()).extracting(Ticket::status).containsExactlyInAnyOrderElementsOf(
                applied.tickets().stream().map(Ticket::status).toList());
        EventSummary after = summaryOf(concert.event().id());
        assertThat(after).isEqualTo(before);
        assertThat(after.refunds()).isEqualTo(booking.total());
        assertThat(after).isEqualTo(recountOf(concert.event().id()));
    }

    @Test
    void a_customer_cancelling_a_paid_booking_is_refunded_through_the_outbox_the_worker_and_the_providers_report() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        PaymentResultApplied paid = given.paidBooking(customer, concert, concert.seatIds(0, 2));
        Booking booking = paid.booking().orElseThrow();
        Actor asCustomer = Actor.customer(customer.id());

        services.bookings().cancelBooking(new BookingCommand(asCustomer, booking.id()));

        // In the unit of work that cancels the booking: its tickets admit nobody, and its refund is owed.
        assertThat(ports.loadTicket().loadTicketsOfBooking(booking.id())).extracting(Ticket::status)
                .containsOnly(TicketStatus.CANCELLED).hasSize(2);
        assertRejected(() -> services.checkIn().checkIn(new CheckInCommand(TicketingFixtures.DOOR_STAFF, concert.event().id(),
                paid.tickets().get(0).code())), RejectionReason.TICKET_CANCELLED);
        assertThat(refundOf(booking)).satisfies(refund -> {
            assertThat(refund.status()).isEqualTo(RefundRequest.Status.REQUESTED);
            assertThat(refund.amount()).isEqualTo(booking.total());
            assertThat(refund.customerId()).isEqualTo(customer.id());
            assertThat(refund.paymentSessionId()).isEqualTo(booking.paymentSessionId());
            assertThat(refund.reason()).isEqualTo("booking cancelled by " + asCustomer.auditName());
        });
        EventSummary cancelled = summaryOf(concert.event().id());
        assertThat(cancelled.refunds()).isEqualTo(booking.total());
        assertThat(cancelled).isEqualTo(recountOf(concert.event().id()));

        // The worker sends it once; the provider's report completes it.
        assertThat(run()).isEqualTo(new RefundRun(1, 1, 0, 0));
        assertThat(provider.callsByKey()).containsExactly(Map.entry("refund-" + booking.id().value(), 1));
        RefundApplied applied = reportRefunded(booking, booking.total());

        assertThat(applied.refund().status()).isEqualTo(RefundRequest.Status.REFUNDED);
        assertThat(ports.loadTicket().loadTicketsOfBooking(booking.id())).extracting(Ticket::status)
                .containsOnly(TicketStatus.REFUNDED).hasSize(2);
        assertThat(summaryOf(concert.event().id())).isEqualTo(cancelled);
        assertThat(summaryOf(concert.event().id())).isEqualTo(recountOf(concert.event().id()));
    }

    @Test
    void a_refunded_report_is_applied_even_before_the_worker_recorded_the_send_and_refuses_another_amount() {
        Booking paid = refundsOwed(1).get(0);

        assertRejected(() -> reportRefunded(paid, Money.of("1.00", "EUR")), RejectionReason.PAYMENT_AMOUNT_MISMATCH);
        assertRejected(() -> reportRefunded(paid, null), RejectionReason.PAYMENT_AMOUNT_MISMATCH);
        assertThat(refundOf(paid).status()).isEqualTo(RefundRequest.Status.REQUESTED);

        assertThat(reportRefunded(paid, paid.total()).refund().status()).isEqualTo(RefundRequest.Status.REFUNDED);
        assertThat(run()).as("a REFUNDED request is not sent").isEqualTo(new RefundRun(0, 0, 0, 0));
        assertThat(provider.callsByKey()).isEmpty();
    }

    @Test
    void a_refunded_report_of_a_checkout_without_a_refund_request_is_not_found() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        Booking paid = given.paidBooking(given.customer(), concert, concert.seatIds(0, 1)).booking().orElseThrow();

        assertThatThrownBy(() -> reportRefunded(paid, paid.total())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void the_backoff_doubles_from_thirty_seconds_to_at_most_an_hour() {
        assertThat(IntStream.rangeClosed(1, 9).mapToObj(SendRefundsUseCase::retryAfter).map(d -> d.toSeconds()).toList())
                .containsExactly(30L, 60L, 120L, 240L, 480L, 960L, 1920L, 3600L, 3600L);
    }
}
