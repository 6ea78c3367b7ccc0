package io.ticketing.domain.testing.contract;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.SeatAdminCommand;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.port.in.ContinueEventCancellationCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.FinishEventCancellationCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.out.EventCancellationPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static io.ticketing.domain.testing.contract.TicketingFixtures.DOOR_STAFF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cancelling an event: the cascade in batches, its progress, its refund outbox, as any adapter must store them. */
public abstract class EventCancellationContract extends TicketingContractSupport {

    private static final String REASON = "the headliner is ill";

    /** An event with a paid booking (one ticket used), a checkout being paid, an open checkout and free seats. */
    private record SoldEvent(EventWithSeats concert, Booking paid, Ticket used, PaymentSession processing,
                             Booking pending, PaymentSession open) {
    }

    private SoldEvent soldEvent() {
        EventWithSeats concert = given.publishedEventWithSeats(10);
        Customer alice = given.customer();
        PaymentResultApplied paid = given.paidBooking(alice, concert, concert.seatIds(0, 3));
        Ticket used = services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, concert.event().id(), paid.tickets().get(0).code()));
        PaymentSession processing = given.checkout(given.customer(), concert, concert.seatIds(3, 5));
        PaymentResultApplied pending = given.report(processing, PaymentResult.PROCESSING);
        PaymentSession open = given.checkout(given.customer(), concert, concert.seatIds(5, 6));
        return new SoldEvent(concert, paid.booking().orElseThrow(), used, pending.session(), pending.booking().orElseThrow(), open);
    }

    @Test
    void cancelling_an_event_cancels_its_checkouts_and_bookings_refunds_the_paid_ones_and_blocks_every_seat() {
        SoldEvent sold = soldEvent();
        var eventId = sold.concert().event().id();

        EventCancellation started = services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, REASON));
        assertThat(started.state()).isEqualTo(EventCancellation.State.RUNNING);
        assertThat(started.requestedBy()).isEqualTo(ADMIN.auditName());
        assertThat(started.reason()).isEqualTo(REASON);
        assertThat(started.bookingsTotal()).isEqualTo(2);
        assertThat(started.checkoutsTotal()).isEqualTo(2);
        assertThat(started.seatsTotal()).isEqualTo(10);
        assertThat(ports.loadEvent().loadEvent(eventId, RowLock.NONE).orElseThrow().status()).isEqualTo(EventStatus.CANCELLED);
        assertRejected(() -> services.checkouts().openCheckout(OpenCheckoutCommand.byCustomer(given.customer().id(), eventId,
                sold.concert().seatIds(9, 10))), RejectionReason.EVENT_CANCELLED);

        EventCancellation done = given.cancelledEvent(eventId, REASON, 1);

        assertThat(done.state()).isEqualTo(EventCancellation.State.DONE);
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.bookingsDone()).isEqualTo(2);
        assertThat(done.checkoutsDone()).isEqualTo(2);
        assertThat(done.seatsDone()).isEqualTo(10);
        assertThat(done.refundsRequested()).isEqualTo(1);
        assertThat(ports.loadBooking().loadBookingsOfEvent(eventId)).allSatisfy(booking ->
                assertThat(booking.status()).isEqualTo(BookingStatus.CANCELLED));
        assertThat(ports.loadBooking().loadBooking(sold.paid().id(), RowLock.NONE).orElseThrow().isRefunded()).isTrue();
        assertThat(ports.loadBooking().loadBooking(sold.pending().id(), RowLock.NONE).orElseThrow().wasPaid()).isFalse();
        assertThat(ports.loadPaymentSession().loadPaymentSession(sold.processing().id(), RowLock.NONE).orElseThrow().status())
                .isEqualTo(PaymentSessionStatus.CANCELLED);
        assertThat(ports.loadPaymentSession().loadPaymentSession(sold.open().id(), RowLock.NONE).orElseThrow().status())
                .isEqualTo(PaymentSessionStatus.CANCELLED);
        // A USED ticket is history: the holder came in. Its booking is refunded all the same.
        assertThat(ports.loadTicket().loadTicketsOfBooking(sold.paid().id())).extracting(Ticket::status)
                .containsExactlyInAnyOrder(TicketStatus.USED, TicketStatus.CANCELLED, TicketStatus.CANCELLED);
        assertThat(seatStatuses(eventId).values()).containsOnly(SeatStatus.BLOCKED);

        List<RefundRequest> refunds = ports.refundRequests().loadRefundRequestsOfEvent(eventId);
        assertThat(refunds).singleElement().satisfies(refund -> {
            assertThat(refund.bookingId()).isEqualTo(sold.paid().id());
            assertThat(refund.customerId()).isEqualTo(sold.paid().customerId());
            assertThat(refund.amount()).isEqualTo(sold.paid().total());
            assertThat(refund.paymentSessionId()).isEqualTo(sold.paid().paymentSessionId());
            assertThat(refund.reason()).isEqualTo(REASON);
            assertThat(refund.status()).isEqualTo(RefundRequest.Status.REQUESTED);
        });

        var summary = summaryOf(eventId);
        assertThat(summary).isEqualTo(recountOf(eventId));
        assertThat(summary.blockedSeats()).isEqualTo(10);
        assertThat(summary.confirmedBookings()).isZero();
        assertThat(summary.ticketsSold()).isEqualTo(1); // the USED ticket
        assertThat(summary.refunds()).isEqualTo(sold.paid().total());
        assertThat(summary.netRevenue()).isEqualTo(Money.zero(sold.concert().event().currency()));
    }

    /** Thrown to end a unit of work without committing it. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super("rolled back on purpose", null, false, false);
        }
    }

    @Test
    void a_batch_step_changes_only_what_is_still_active_of_the_event_and_says_how_much_in_one_call() {
        SoldEvent sold = soldEvent();
        var eventId = sold.concert().event().id();
        EventWithSeats elsewhere = given.publishedEventWithSeats(2);
        PaymentResultApplied otherPaid = given.paidBooking(given.customer(), elsewhere, elsewhere.seatIds(0, 2));
        Booking other = otherPaid.booking().orElseThrow();
        var paidCheckout = sold.paid().paymentSessionId().orElseThrow();
        var now = clock.instant();
        Booking paidCancelled = sold.paid().cancel(now);

        assertThatThrownBy(() -> inUnitOfWork(ADMIN, () -> {
            var cancellations = ports.eventCancellation();
            assertThat(cancellations.cancelBookings(eventId, List.of(sold.paid().id(), sold.pending().id(), other.id()), now))
                    .as("the other event's booking is left out").isEqualTo(2);
            assertThat(cancellations.cancelBookings(eventId, List.of(sold.paid().id()), now)).as("cancelled already").isZero();
            assertThat(ports.loadBooking().loadBooking(sold.paid().id(), RowLock.NONE).orElseThrow())
                    .isEqualTo(paidCancelled);
            assertThat(ports.loadBooking().loadBooking(other.id(), RowLock.NONE).orElseThrow().status())
                    .isEqualTo(BookingStatus.CONFIRMED);

            assertThat(cancellations.cancelValidTicketsOfBookings(eventId, List.of(sold.paid().id(), other.id())))
                    .as("two VALID tickets; the USED one and the other event's stay").isEqualTo(2);
            assertThat(cancellations.cancelValidTicketsOfBookings(eventId, List.of(sold.paid().id()))).isZero();
            assertThat(ports.loadTicket().loadTicketsOfBooking(sold.paid().id())).extracting(Ticket::status)
                    .containsExactlyInAnyOrder(TicketStatus.USED, TicketStatus.CANCELLED, TicketStatus.CANCELLED);
            assertThat(ports.loadTicket().loadTicketsOfBooking(other.id())).extracting(Ticket::status)
                    .containsOnly(TicketStatus.VALID);

            var checkouts = cancellations.cancelActivePaymentSessions(eventId, List.of(sold.processing().id(), sold.open().id(),
                    paidCheckout, other.paymentSessionId().orElseThrow()));
            assertThat(checkouts.checkouts()).as("the SUCCEEDED one and the other event's are left out").isEqualTo(2);
            assertThat(checkouts.releasedSeats()).containsExactlyInAnyOrderElementsOf(sold.concert().seatIds(3, 6));
            assertThat(ports.loadPaymentSession().loadPaymentSession(sold.open().id(), RowLock.NONE).orElseThrow().status())
                    .isEqualTo(PaymentSessionStatus.CANCELLED);
            assertThat(cancellations.cancelActivePaymentSessions(eventId, List.of(sold.open().id())))
                    .isEqualTo(EventCancellationPort.CancelledCheckouts.NONE);

            List<SeatId> freed = new ArrayList<>(sold.concert().seatIds(0, 6));
            freed.add(sold.concert().seat(9)); // AVAILABLE
            List<SeatId> withAnotherEvents = new ArrayList<>(freed);
            withAnotherEvents.add(elsewhere.seat(0));
            assertThat(cancellations.blockSeats(eventId, withAnotherEvents)).as("all or none").isZero();
            assertThat(statusOf(eventId, sold.concert().seat(0))).isEqualTo(SeatStatus.BOOKED);
            assertThat(cancellations.blockSeats(eventId, freed)).isEqualTo(7);
            assertThat(cancellations.blockSeats(eventId, List.of(sold.concert().seat(8), sold.concert().seat(0))))
                    .as("one is BLOCKED already").isZero();
            assertThat(statusOf(eventId, sold.concert().seat(8))).isEqualTo(SeatStatus.AVAILABLE);
            assertThat(freed).allSatisfy(seat -> assertThat(statusOf(eventId, seat)).isEqualTo(SeatStatus.BLOCKED));

            RefundRequest refund = RefundRequest.of(paidCancelled, REASON, now);
            assertThat(ports.refundRequests().insertRefundRequests(List.of(refund,
                    RefundRequest.of(paidCancelled, "asked twice in one step", now)))).isEqualTo(1);
            assertThat(ports.refundRequests().insertRefundRequests(List.of(refund))).isZero();
            assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId)).containsExactly(refund);
            throw new RolledBack();
        })).isInstanceOf(RolledBack.class);

        assertThat(ports.loadBooking().loadBooking(sold.paid().id(), RowLock.NONE).orElseThrow()).isEqualTo(sold.paid());
        assertThat(ports.loadPaymentSession().loadPaymentSession(sold.open().id(), RowLock.NONE).orElseThrow().status())
                .isEqualTo(PaymentSessionStatus.OPEN);
        assertThat(statusOf(eventId, sold.concert().seat(0))).isEqualTo(SeatStatus.BOOKED);
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId)).isEmpty();
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
    }

    @Test
    void a_cancellation_interrupted_after_a_batch_is_finished_by_a_fresh_service_handling_every_booking_once() {
        EventWithSeats concert = given.publishedEventWithSeats(6);
        List<Booking> paid = List.of(
                given.paidBooking(given.customer(), concert, concert.seatIds(0, 2)).booking().orElseThrow(),
                given.paidBooking(given.customer(), concert, concert.seatIds(2, 3)).booking().orElseThrow(),
                given.paidBooking(given.customer(), concert, concert.seatIds(3, 5)).booking().orElseThrow());
        var eventId = concert.event().id();
        services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, REASON));
        EventCancellation afterOne = services.cancellations().continueEventCancellation(
                new ContinueEventCancellationCommand(ADMIN, eventId, 2));
        assertThat(afterOne.bookingsDone()).isEqualTo(2);
        assertThat(afterOne.refundsRequested()).isEqualTo(2);

        // The process dies here; another one (the CLI, another instance) continues from what was committed.
        TicketingServices fresh = TicketingServices.wire(ports, LIMITS);
        assertThat(fresh.cancellations().runningEventCancellations(ADMIN, 10)).containsExactly(eventId);
        EventCancellation progress = afterOne;
        while (!progress.isDone()) {
            progress = fresh.cancellations().continueEventCancellation(new ContinueEventCancellationCommand(ADMIN, eventId, 2));
        }

        assertThat(progress.bookingsDone()).isEqualTo(3);
        assertThat(progress.refundsRequested()).isEqualTo(3);
        assertThat(progress.seatsDone()).isEqualTo(6);
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId)).extracting(RefundRequest::bookingId)
                .containsExactlyInAnyOrderElementsOf(paid.stream().map(Booking::id).toList());
        assertThat(fresh.cancellations().runningEventCancellations(ADMIN, 10)).isEmpty();
        // Continuing a finished cancellation changes nothing.
        assertThat(fresh.cancellations().continueEventCancellation(new ContinueEventCancellationCommand(ADMIN, eventId, 2)))
                .isEqualTo(progress);
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
    }

    @Test
    void a_cancelled_event_takes_no_seats_for_sale_neither_new_ones_nor_unblocked_ones() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        var eventId = concert.event().id();
        services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, REASON));
        services.cancellations().finishEventCancellation(new FinishEventCancellationCommand(ADMIN, eventId), batch -> { });

        assertRejected(() -> services.seats().createSeats(new CreateSeatsCommand(ADMIN, eventId,
                List.of(new SeatBlock("Z", List.of("1"), 1, 3, java.math.BigDecimal.TEN)))), RejectionReason.EVENT_CANCELLED);
        assertRejected(() -> services.seats().unblockSeats(new SeatAdminCommand(ADMIN, eventId, concert.seatIds(0, 1))),
                RejectionReason.EVENT_CANCELLED);
        assertThat(ports.loadSeat().loadSeatsOfEvent(eventId)).hasSize(2).allSatisfy(seat -> assertThat(seat.status()).isEqualTo(SeatStatus.BLOCKED));
    }

    @Test
    void a_paced_cancellation_starts_with_eight_bookings_and_runs_to_the_end_showing_each_batch() {
        EventWithSeats concert = given.publishedEventWithSeats(40);
        for (int seat = 0; seat < 10; seat++) {
            given.paidBooking(given.customer(), concert, concert.seatIds(seat, seat + 1));
        }
        var eventId = concert.event().id();
        services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, REASON));

        List<EventCancellation> batches = new ArrayList<>();
        EventCancellation done = services.cancellations().finishEventCancellation(
                new FinishEventCancellationCommand(ADMIN, eventId), batches::add);

        assertThat(batches.get(0).bookingsDone()).isEqualTo(8);
        assertThat(batches).last().isEqualTo(done);
        assertThat(batches).extracting(b -> b.bookingsDone() + b.seatsDone()).isSorted();
        assertThat(done.isDone()).isTrue();
        assertThat(done.bookingsDone()).isEqualTo(10);
        assertThat(done.refundsRequested()).isEqualTo(10);
        assertThat(done.seatsDone()).isEqualTo(40);
        assertThat(concert.seatIds(0, 40)).allSatisfy(seat -> assertThat(statusOf(eventId, seat)).isEqualTo(SeatStatus.BLOCKED));
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
        // Finishing a finished cancellation changes nothing and shows it once.
        batches.clear();
        assertThat(services.cancellations().finishEventCancellation(new FinishEventCancellationCommand(ADMIN, eventId), batches::add))
                .isEqualTo(done);
        assertThat(batches).containsExactly(done);
    }

    @Test
    void unsold_seats_are_blocked_eight_times_the_batch_size_at_a_time() {
        EventWithSeats concert = given.publishedEventWithSeats(42);
        given.paidBooking(given.customer(), concert, concert.seatIds(0, 2));
        var eventId = concert.event().id();
        services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, REASON));
        ContinueEventCancellationCommand batchOfTwo = new ContinueEventCancellationCommand(ADMIN, eventId, 2);

        EventCancellation afterBookings = services.cancellations().continueEventCancellation(batchOfTwo);
        assertThat(afterBookings.bookingsDone()).isEqualTo(1);
        assertThat(afterBookings.seatsDone()).isEqualTo(2);

        EventCancellation afterSeats = services.cancellations().continueEventCancellation(batchOfTwo);
        assertThat(afterSeats.seatsDone()).isEqualTo(2 + 16);
        afterSeats = services.cancellations().continueEventCancellation(batchOfTwo);
        afterSeats = services.cancellations().continueEventCancellation(batchOfTwo);
        assertThat(afterSeats.seatsDone()).isEqualTo(42);
        assertThat(afterSeats.isDone()).isFalse();
        assertThat(services.cancellations().continueEventCancellation(batchOfTwo).isDone()).isTrue();
        assertThat(concert.seatIds(0, 42)).allSatisfy(seat -> assertThat(statusOf(eventId, seat)).isEqualTo(SeatStatus.BLOCKED));
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
    }

    /** An event cancelled while one checkout was open and another one's payment was processing (a pending booking). */
    private record CancelledWhilePaying(EventWithSeats concert, PaymentSession open, PaymentSession processing,
                                        Booking pending) {
    }

    private CancelledWhilePaying cancelledWhilePaying() {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        PaymentSession open = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        PaymentSession processing = given.checkout(given.customer(), concert, concert.seatIds(1, 3));
        Booking pending = given.report(processing, PaymentResult.PROCESSING).booking().orElseThrow();
        given.cancelledEvent(concert.event().id());
        return new CancelledWhilePaying(concert, open, processing, pending);
    }

    @Test
    void a_payment_that_succeeds_after_its_event_was_cancelled_is_accepted_and_refunded() {
        CancelledWhilePaying paying = cancelledWhilePaying();
        var eventId = paying.concert().event().id();

        PaymentResultApplied lateOpen = given.report(paying.open(), PaymentResult.SUCCEEDED);
        PaymentResultApplied lateProcessing = given.report(paying.processing(), PaymentResult.SUCCEEDED);
        PaymentResultApplied repeated = given.report(paying.open(), PaymentResult.SUCCEEDED);

        assertThat(lateOpen.session().status()).isEqualTo(PaymentSessionStatus.CANCELLED);
        assertThat(lateOpen.session().providerReference()).isEqualTo("provider-" + paying.open().id());
        assertThat(lateOpen.tickets()).isEmpty();
        assertThat(lateOpen.booking()).hasValueSatisfying(booking -> {
            assertThat(booking.isRefunded()).isTrue();
            assertThat(booking.total()).isEqualTo(paying.open().amount());
        });
        assertThat(lateProcessing.booking()).hasValueSatisfying(booking -> {
            assertThat(booking.id()).isEqualTo(paying.pending().id());
            assertThat(booking.isRefunded()).isTrue();
        });
        assertThat(repeated.booking().orElseThrow().id()).isEqualTo(lateOpen.booking().orElseThrow().id());
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId))
                .extracting(RefundRequest::bookingId, RefundRequest::amount, RefundRequest::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(lateOpen.booking().orElseThrow().id(), paying.open().amount(),
                                "paid after the event was cancelled"),
                        org.assertj.core.groups.Tuple.tuple(paying.pending().id(), paying.processing().amount(),
                                "paid after the event was cancelled"));
        assertThat(ports.loadTicket().loadTicketsOfEvent(eventId)).isEmpty();
        assertThat(seatStatuses(eventId).values()).containsOnly(SeatStatus.BLOCKED);
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
        assertThat(summaryOf(eventId).refunds()).isEqualTo(paying.open().amount().plus(paying.processing().amount()));
    }

    /** Five seats: an OPEN checkout of seat 0, a PROCESSING one of seats 1 and 2 (its booking PENDING), two unsold. */
    private record StillPaying(EventWithSeats concert, PaymentSession open, PaymentSession processing, Booking pending) {

        EventId eventId() {
            return concert.event().id();
        }
    }

    private StillPaying stillPaying() {
        EventWithSeats concert = given.publishedEventWithSeats(5);
        PaymentSession open = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        PaymentSession processing = given.checkout(given.customer(), concert, concert.seatIds(1, 3));
        Booking pending = given.report(processing, PaymentResult.PROCESSING).booking().orElseThrow();
        return new StillPaying(concert, open, processing, pending);
    }

    /**
     * Both checkouts' money comes while their event is cancelled: neither confirms a booking or issues a ticket; both
     * checkouts end CANCELLED, their bookings (the pending one among them) cancelled and refunded, their seats BLOCKED.
     */
    private void bothPaidAndRefundedWithoutASale(StillPaying paying) {
        PaymentResultApplied paidOpen = given.report(paying.open(), PaymentResult.SUCCEEDED);
        PaymentResultApplied paidProcessing = given.report(paying.processing(), PaymentResult.SUCCEEDED);

        assertThat(List.of(paidOpen, paidProcessing))
                .allSatisfy(applied -> assertThat(applied.session().status()).isEqualTo(PaymentSessionStatus.CANCELLED))
                .allSatisfy(applied -> assertThat(applied.tickets()).isEmpty())
                .allSatisfy(applied -> assertThat(applied.booking()).hasValueSatisfying(booking -> {
                    assertThat(booking.status()).isEqualTo(BookingStatus.CANCELLED);
                    assertThat(booking.isRefunded()).isTrue();
                }));
        assertThat(paidProcessing.booking().orElseThrow().id()).isEqualTo(paying.pending().id());
        assertThat(ports.loadTicket().loadTicketsOfEvent(paying.eventId())).isEmpty();
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(paying.eventId())).extracting(RefundRequest::reason)
                .containsOnly("paid after the event was cancelled").hasSize(2);
        assertThat(seatStatuses(paying.eventId())).containsAllEntriesOf(Map.of(
                paying.concert().seatIds(0, 1).get(0), SeatStatus.BLOCKED,
                paying.concert().seatIds(1, 3).get(0), SeatStatus.BLOCKED,
                paying.concert().seatIds(1, 3).get(1), SeatStatus.BLOCKED));
        assertThat(summaryOf(paying.eventId())).isEqualTo(recountOf(paying.eventId()));
    }

    @Test
    void a_payment_that_succeeds_while_its_events_cancellation_runs_confirms_nothing_and_is_refunded_as_the_batch_would() {
        StillPaying paying = stillPaying();
        var eventId = paying.eventId();
        PaymentSession open = paying.open();
        PaymentSession processing = paying.processing();
        EventCancellation started = services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, REASON));

        // No batch has run yet: both checkouts are still OPEN and PROCESSING when their money comes.
        bothPaidAndRefundedWithoutASale(paying);
        EventCancellation meanwhile = ports.eventCancellation().loadEventCancellation(eventId, RowLock.NONE).orElseThrow();
        assertThat(meanwhile.bookingsDone()).as("the pending booking").isEqualTo(1);
        assertThat(meanwhile.checkoutsDone()).isEqualTo(2);
        assertThat(meanwhile.seatsDone()).isEqualTo(3);

        EventCancellation done = given.cancelledEvent(eventId, REASON, 1);
        assertThat(done.bookingsDone()).isEqualTo(started.bookingsTotal()).isEqualTo(done.bookingsTotal()).isEqualTo(1);
        assertThat(done.checkoutsDone()).isEqualTo(done.checkoutsTotal()).isEqualTo(2);
        assertThat(done.seatsDone()).isEqualTo(done.seatsTotal()).isEqualTo(5);
        assertThat(seatStatuses(eventId).values()).containsOnly(SeatStatus.BLOCKED);
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
        assertThat(summaryOf(eventId).refunds()).isEqualTo(open.amount().plus(processing.amount()));
    }

    @Test
    void a_payment_that_looked_for_a_cancellation_just_before_it_began_is_left_to_that_cancellation_and_counted_in_it() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        var eventId = concert.event().id();
        PaymentSession open = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, eventId, REASON));

        // The report looked for a running cancellation a moment before that one committed, and found none: holding the
        // checkout, it may not lock the cancellation now, so it settles as a payment just before the cancellation.
        PaymentResultApplied paid = paymentResultsMissingTheCancellation().applyPaymentResult(new io.ticketing.domain.port.in.ApplyPaymentResultCommand(
                TicketingFixtures.PAYMENTS, open.id(), PaymentResult.SUCCEEDED, "provider-" + open.id(), open.amount()));
        assertThat(paid.booking().orElseThrow().status()).isEqualTo(BookingStatus.CONFIRMED);

        EventCancellation done = given.cancelledEvent(eventId, REASON, 1);
        assertThat(done.seatsDone()).as("every seat blocked by the batches, counted").isEqualTo(3);
        assertThat(done.refundsRequested()).isEqualTo(1);
        assertThat(ports.loadBooking().loadBookingsOfEvent(eventId)).allSatisfy(booking -> assertThat(booking.isRefunded()).isTrue());
        assertThat(seatStatuses(eventId).values()).containsOnly(SeatStatus.BLOCKED);
        assertThat(summaryOf(eventId)).isEqualTo(recountOf(eventId));
    }

    /** The payment results, their look-up of a running cancellation always coming a moment too early: empty. */
    private io.ticketing.domain.service.PaymentResultService paymentResultsMissingTheCancellation() {
        EventCancellationPort real = ports.eventCancellation();
        EventCancellationPort tooEarly = (EventCancellationPort) java.lang.reflect.Proxy.newProxyInstance(
                EventCancellationPort.class.getClassLoader(), new Class<?>[] {EventCancellationPort.class}, (proxy, method, args) -> {
                    if (method.getName().equals("lockRunningEventCancellationOfPaymentSession")) {
                        return java.util.Optional.empty();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new io.ticketing.domain.service.PaymentResultService(ports.unitOfWork(), ports.clock(), ports.loadEvent(),
                ports.loadSeat(), ports.seatTransition(), ports.loadPaymentSession(), ports.savePaymentSession(),
                ports.loadBooking(), ports.saveBooking(), ports.loadTicket(), ports.saveTicket(), ports.refundRequests(), tooEarly);
    }

    @Test
    void a_payment_that_succeeds_for_an_event_cancelled_with_no_cancellation_run_confirms_nothing_and_is_refunded() {
        StillPaying paying = stillPaying();
        var eventId = paying.eventId();
        // Cancelled as the legacy app cancels an event: its status alone, its sales left running (a migration keeps it).
        inUnitOfWork(ADMIN, () -> ports.saveEvent().updateEvent(paying.concert().event().cancel()));

        bothPaidAndRefundedWithoutASale(paying);
        assertThat(ports.eventCancellation().loadEventCancellation(eventId, RowLock.NONE)).as("none was started").isEmpty();

        // An admin's cancellation then has only the unsold seats left to block.
        EventCancellation done = given.cancelledEvent(eventId, REASON, 1);
        assertThat(done.bookingsTotal()).isZero();
        assertThat(done.checkoutsTotal()).isZero();
        assertThat(done.seatsDone()).isEqualTo(done.seatsTotal()).isEqualTo(2);
        assertThat(seatStatuses(eventId).values()).containsOnly(SeatStatus.BLOCKED);
        assertThat(summaryOf(eventId).refunds()).isEqualTo(paying.open().amount().plus(paying.processing().amount()));
    }

    @Test
    void a_late_processing_or_failed_report_of_a_checkout_of_a_cancelled_event_is_taken_and_changes_nothing() {
        CancelledWhilePaying paying = cancelledWhilePaying();
        var eventId = paying.concert().event().id();
        var summary = summaryOf(eventId);

        PaymentResultApplied openProcessing = given.report(paying.open(), PaymentResult.PROCESSING);
        PaymentResultApplied openFailed = given.report(paying.open(), PaymentResult.FAILED);
        PaymentResultApplied processingFailed = given.report(paying.processing(), PaymentResult.FAILED);
        PaymentResultApplied processingAgain = given.report(paying.processing(), PaymentResult.PROCESSING);

        assertThat(List.of(openProcessing, openFailed, processingFailed, processingAgain))
                .allSatisfy(applied -> assertThat(applied.session().status()).isEqualTo(PaymentSessionStatus.CANCELLED))
                .allSatisfy(applied -> assertThat(applied.tickets()).isEmpty());
        assertThat(openProcessing.booking()).isEmpty();
        assertThat(openFailed.booking()).isEmpty();
        assertThat(processingFailed.booking()).hasValueSatisfying(booking -> {
            assertThat(booking.id()).isEqualTo(paying.pending().id());
            assertThat(booking.status()).isEqualTo(BookingStatus.CANCELLED);
            assertThat(booking.wasPaid()).isFalse();
        });
        assertThat(ports.loadBooking().loadBookingsOfEvent(eventId)).singleElement()
                .isEqualTo(processingFailed.booking().orElseThrow());
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(eventId)).isEmpty();
        assertThat(seatStatuses(eventId).values()).containsOnly(SeatStatus.BLOCKED);
        assertThat(summaryOf(eventId)).isEqualTo(summary).isEqualTo(recountOf(eventId));
    }

    @Test
    void a_booking_is_refunded_at_most_once_whoever_asks_twice() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        Booking booking = given.paidBooking(given.customer(), concert, concert.seatIds(0, 1)).booking().orElseThrow();
        given.cancelledEvent(concert.event().id());
        Booking cancelled = ports.loadBooking().loadBooking(booking.id(), RowLock.NONE).orElseThrow();

        boolean again = inUnitOfWork(ADMIN, () -> ports.refundRequests().insertRefundRequest(
                RefundRequest.of(cancelled, "asked twice", clock.instant())));

        assertThat(again).isFalse();
        assertThat(ports.refundRequests().loadRefundRequestsOfEvent(concert.event().id())).singleElement()
                .satisfies(refund -> assertThat(refund.reason()).isEqualTo("the venue is closed"));
    }

    @Test
    void cancelling_again_answers_the_cancellation_as_it_is_with_its_first_reason() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        EventCancellation first = services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, concert.event().id(), REASON));

        EventCancellation second = services.cancellations().cancelEvent(
                new CancelEventCommand(ADMIN, concert.event().id(), "another reason"));

        assertThat(second).isEqualTo(first);
        assertThat(services.cancellations().getEventCancellation(new EventQuery(ADMIN, concert.event().id()))).contains(first);
        assertThat(services.cancellations().getEventCancellation(new EventQuery(ADMIN, given.draftEvent(
                java.time.Duration.ofDays(3)).id()))).isEmpty();
    }

    @Test
    void a_cancelled_ticket_admits_nobody() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        Ticket ticket = given.paidBooking(given.customer(), concert, concert.seatIds(0, 1)).tickets().get(0);
        given.cancelledEvent(concert.event().id());

        assertRejected(() -> services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, concert.event().id(), ticket.code())),
                RejectionReason.TICKET_CANCELLED);
    }

    @Test
    void a_cancellation_needs_a_reason_of_at_most_500_characters() {
        EventWithSeats concert = given.publishedEventWithSeats(1);

        assertThatThrownBy(() -> new CancelEventCommand(ADMIN, concert.event().id(), " ")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new CancelEventCommand(ADMIN, concert.event().id(), "x".repeat(501)))
                .isInstanceOf(InvalidValueException.class);
        assertThat(new CancelEventCommand(ADMIN, concert.event().id(), "x".repeat(500)).reason()).hasSize(500);
    }

    @Test
    void only_operators_cancel_events() {
        EventWithSeats concert = given.publishedEventWithSeats(1);
        var customer = io.ticketing.domain.model.Actor.customer(given.customer().id());

        assertRejected(() -> services.cancellations().cancelEvent(new CancelEventCommand(customer, concert.event().id(), REASON)),
                RejectionReason.ACCESS_DENIED);
        assertThat(ports.eventCancellation().loadEventCancellation(concert.event().id(), RowLock.NONE)).isEmpty();
    }
}
