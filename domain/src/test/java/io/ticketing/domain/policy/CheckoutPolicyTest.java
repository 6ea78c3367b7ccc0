package io.ticketing.domain.policy;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.ticketing.domain.DomainFixtures.NOW;
import static io.ticketing.domain.DomainFixtures.availableSeatsOf;
import static io.ticketing.domain.DomainFixtures.deleted;
import static io.ticketing.domain.DomainFixtures.draftEventStartingIn;
import static io.ticketing.domain.DomainFixtures.openSession;
import static io.ticketing.domain.DomainFixtures.publishedEvent;
import static io.ticketing.domain.DomainFixtures.publishedEventStartingIn;
import static io.ticketing.domain.DomainFixtures.seatOf;
import static org.assertj.core.api.Assertions.assertThat;

class CheckoutPolicyTest {

    private static final CheckoutLimits LIMITS = new CheckoutLimits(Duration.ofMinutes(15), 4, 2);

    @Test
    void a_customer_may_check_out_available_seats_of_a_published_future_event() {
        Event event = publishedEvent();
        assertThat(evaluate(newCheckout(event, availableSeatsOf(event, 4), 1)).isAllowed()).isTrue();
    }

    @Test
    void a_draft_event_sells_nothing() {
        Event draft = draftEventStartingIn(Duration.ofDays(3));
        assertRejectedWith(newCheckout(draft, availableSeatsOf(draft, 1), 0), RejectionReason.EVENT_NOT_PUBLISHED);
    }

    @Test
    void a_cancelled_event_sells_nothing() {
        Event cancelled = publishedEvent().cancel();
        assertRejectedWith(newCheckout(cancelled, availableSeatsOf(cancelled, 1), 0), RejectionReason.EVENT_CANCELLED);
    }

    @Test
    void a_deleted_event_sells_nothing() {
        Event event = deleted(publishedEvent());
        assertRejectedWith(newCheckout(event, availableSeatsOf(event, 1), 0), RejectionReason.EVENT_DELETED);
    }

    @Test
    void an_event_that_has_started_sells_nothing_any_more() {
        Event startingNow = publishedEventStartingIn(Duration.ZERO);
        assertRejectedWith(newCheckout(startingNow, availableSeatsOf(startingNow, 1), 0), RejectionReason.EVENT_ALREADY_STARTED);
    }

    @Test
    void seats_of_another_event_or_unknown_seats_are_refused() {
        Event event = publishedEvent();
        List<Seat> found = availableSeatsOf(event, 1);
        CheckoutRequest request = new CheckoutRequest(event, List.of(found.get(0).id(), SeatId.newId()), found, null, 0, LIMITS, NOW);
        assertRejectedWith(request, RejectionReason.SEAT_NOT_OF_EVENT);
    }

    @Test
    void seats_that_are_held_sold_or_blocked_are_refused_naming_them() {
        Event event = publishedEvent();
        Seat held = seatOf(event, 2, SeatStatus.RESERVED);
        List<Seat> seats = List.of(seatOf(event, 1, SeatStatus.AVAILABLE), held, seatOf(event, 3, SeatStatus.BLOCKED));
        Decision decision = evaluate(newCheckout(event, seats, 0));
        assertThat(decision.rejectionIfAny()).hasValueSatisfying(rejection -> {
            assertThat(rejection.reason()).isEqualTo(RejectionReason.SEATS_UNAVAILABLE);
            assertThat(rejection.message()).contains(held.id().toString());
        });
    }

    @Test
    void at_most_the_configured_number_of_seats_per_checkout() {
        Event event = publishedEvent();
        assertThat(evaluate(newCheckout(event, availableSeatsOf(event, 4), 0)).isAllowed()).isTrue();
        assertRejectedWith(newCheckout(event, availableSeatsOf(event, 5), 0), RejectionReason.TOO_MANY_SEATS);
    }

    @Test
    void seats_added_to_a_session_count_with_the_seats_it_holds() {
        Event event = publishedEvent();
        PaymentSession holdingThree = openSession(event, availableSeatsOf(event, 3));
        List<Seat> two = availableSeatsOf(event, 2);
        assertRejectedWith(addTo(holdingThree, two, NOW), RejectionReason.TOO_MANY_SEATS);
        assertThat(evaluate(addTo(holdingThree, two.subList(0, 1), NOW)).isAllowed()).isTrue();
    }

    @Test
    void at_most_the_configured_number_of_open_checkouts_per_customer() {
        Event event = publishedEvent();
        assertThat(evaluate(newCheckout(event, availableSeatsOf(event, 1), 1)).isAllowed()).isTrue();
        assertRejectedWith(newCheckout(event, availableSeatsOf(event, 1), 2), RejectionReason.TOO_MANY_OPEN_CHECKOUTS);
    }

    @Test
    void seats_can_only_be_added_to_an_open_unexpired_session() {
        Event event = publishedEvent();
        PaymentSession open = openSession(event, availableSeatsOf(event, 1));
        assertRejectedWith(addTo(open.markProcessing("ref"), availableSeatsOf(event, 1), NOW), RejectionReason.CHECKOUT_NOT_OPEN);
        assertRejectedWith(addTo(open, availableSeatsOf(event, 1), open.expiresAt()), RejectionReason.CHECKOUT_EXPIRED);
    }

    @Test
    void the_first_rejection_in_policy_order_wins() {
        Event deletedDraft = deleted(draftEventStartingIn(Duration.ofDays(1)));
        assertRejectedWith(newCheckout(deletedDraft, availableSeatsOf(deletedDraft, 9), 9), RejectionReason.EVENT_DELETED);
    }

    private static CheckoutRequest newCheckout(Event event, List<Seat> seats, long activeCheckouts) {
        return new CheckoutRequest(event, seats.stream().map(Seat::id).toList(), seats, null, activeCheckouts, LIMITS, NOW);
    }

    private static CheckoutRequest addTo(PaymentSession session, List<Seat> seats, Instant now) {
        Event event = publishedEvent();
        return new CheckoutRequest(event, seats.stream().map(Seat::id).toList(), seats, session, 0, LIMITS, now);
    }

    private static Decision evaluate(CheckoutRequest request) {
        return CheckoutPolicy.evaluateAll(request);
    }

    static void assertRejectedWith(CheckoutRequest request, RejectionReason reason) {
        assertThat(evaluate(request).rejectionIfAny()).map(Rejection::reason).contains(reason);
    }
}
