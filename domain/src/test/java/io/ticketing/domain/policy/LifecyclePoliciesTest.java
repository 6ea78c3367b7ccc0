package io.ticketing.domain.policy;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static io.ticketing.domain.DomainFixtures.NOW;
import static io.ticketing.domain.DomainFixtures.availableSeatsOf;
import static io.ticketing.domain.DomainFixtures.cancelledEvent;
import static io.ticketing.domain.DomainFixtures.confirmedBooking;
import static io.ticketing.domain.DomainFixtures.deleted;
import static io.ticketing.domain.DomainFixtures.openSession;
import static io.ticketing.domain.DomainFixtures.publishedEvent;
import static io.ticketing.domain.DomainFixtures.publishedEventStartingIn;
import static io.ticketing.domain.DomainFixtures.seatOf;
import static io.ticketing.domain.DomainFixtures.summaryWith;
import static io.ticketing.domain.DomainFixtures.ticketsOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The rules of soft delete, refunds, check-in, seat administration and access, each refusal with its reason. */
class LifecyclePoliciesTest {

    static <R> void assertDecision(List<? extends Policy<R>> policies, R request, RejectionReason expected) {
        Decision decision = Policy.firstRejection(policies, request);
        if (expected == null) {
            assertThat(decision.rejectionIfAny()).isEmpty();
        } else {
            assertThat(decision.rejectionIfAny()).map(Rejection::reason).contains(expected);
            assertThat(decision.rejectionIfAny().orElseThrow().message()).isNotBlank();
        }
    }

    @Nested
    class SoftDelete {

        @Test
        void an_event_without_sales_can_be_deleted_and_restored() {
            Event event = publishedEvent();
            assertDecision(SoftDeletePolicy.deletionPolicies(), new SoftDeleteRequest(event, summaryWith(event, 0, 0), NOW), null);
            Event gone = deleted(event);
            assertDecision(SoftDeletePolicy.restorePolicies(), new SoftDeleteRequest(gone, summaryWith(gone, 0, 0), NOW), null);
        }

        @Test
        void a_future_event_with_confirmed_bookings_must_be_cancelled_first() {
            Event event = publishedEvent();
            assertDecision(SoftDeletePolicy.deletionPolicies(), new SoftDeleteRequest(event, summaryWith(event, 0, 2), NOW),
                    RejectionReason.EVENT_HAS_CONFIRMED_BOOKINGS);
            Event cancelled = event.cancel();
            assertDecision(SoftDeletePolicy.deletionPolicies(),
                    new SoftDeleteRequest(cancelled, summaryWith(cancelled, 0, 2), NOW), null);
        }

        @Test
        void an_event_under_way_with_confirmed_bookings_must_be_cancelled_first_its_holders_may_still_come_in() {
            Event started = publishedEventStartingIn(Duration.ofHours(1));
            assertDecision(SoftDeletePolicy.deletionPolicies(),
                    new SoftDeleteRequest(started, summaryWith(started, 0, 2), NOW.plus(Duration.ofHours(2))),
                    RejectionReason.EVENT_HAS_CONFIRMED_BOOKINGS);
        }

        @Test
        void a_past_event_with_confirmed_bookings_can_be_deleted() {
            Event past = publishedEventStartingIn(Duration.ofDays(1));
            assertDecision(SoftDeletePolicy.deletionPolicies(),
                    new SoftDeleteRequest(past, summaryWith(past, 0, 2), NOW.plus(Duration.ofDays(2))), null);
        }

        @Test
        void seats_held_by_checkouts_block_deletion() {
            Event cancelled = cancelledEvent();
            assertDecision(SoftDeletePolicy.deletionPolicies(),
                    new SoftDeleteRequest(cancelled, summaryWith(cancelled, 1, 0), NOW), RejectionReason.EVENT_HAS_ACTIVE_CHECKOUTS);
        }

        @Test
        void deleting_twice_or_restoring_a_live_event_is_refused() {
            Event gone = deleted(publishedEvent());
            assertDecision(SoftDeletePolicy.deletionPolicies(), new SoftDeleteRequest(gone, summaryWith(gone, 0, 0), NOW),
                    RejectionReason.EVENT_ALREADY_DELETED);
            Event live = publishedEvent();
            assertDecision(SoftDeletePolicy.restorePolicies(), new SoftDeleteRequest(live, summaryWith(live, 0, 0), NOW),
                    RejectionReason.EVENT_NOT_DELETED);
        }

        @Test
        void a_deleted_event_is_frozen_until_restored() {
            assertDecision(EventChangePolicy.allCurrentPolicies(), deleted(publishedEvent()), RejectionReason.EVENT_DELETED);
            assertDecision(EventChangePolicy.allCurrentPolicies(), publishedEvent(), null);
        }
    }

    @Nested
    class CancellationAndRefund {

        private final Event event = publishedEvent();
        private final Booking booking = confirmedBooking(event, availableSeatsOf(event, 2));

        @Test
        void a_confirmed_booking_with_unused_tickets_before_the_event_is_refundable() {
            assertDecision(BookingCancellationPolicy.allCurrentPolicies(),
                    new BookingCancellationRequest(booking, event, ticketsOf(booking), NOW), null);
        }

        @Test
        void only_confirmed_bookings_are_refundable() {
            Booking pending = Booking.pendingFor(openSession(event, availableSeatsOf(event, 1)),
                    availableSeatsOf(event, 1), NOW);
            assertDecision(BookingCancellationPolicy.allCurrentPolicies(),
                    new BookingCancellationRequest(pending, event, List.of(), NOW), RejectionReason.BOOKING_NOT_CONFIRMED);
            assertDecision(BookingCancellationPolicy.allCurrentPolicies(),
                    new BookingCancellationRequest(booking.cancel(NOW), event, List.of(), NOW), RejectionReason.BOOKING_NOT_CONFIRMED);
        }

        @Test
        void a_booking_with_a_checked_in_ticket_is_not_refundable() {
            assertDecision(BookingCancellationPolicy.allCurrentPolicies(),
                    new BookingCancellationRequest(booking, event, ticketsOf(booking, TicketStatus.VALID, TicketStatus.USED), NOW),
                    RejectionReason.TICKET_ALREADY_USED);
        }

        @Test
        void once_the_event_started_only_a_cancelled_event_refunds() {
            Instant afterStart = event.details().startsAt().plusSeconds(1);
            assertDecision(BookingCancellationPolicy.allCurrentPolicies(),
                    new BookingCancellationRequest(booking, event, ticketsOf(booking), afterStart), RejectionReason.EVENT_ALREADY_STARTED);
            assertDecision(BookingCancellationPolicy.allCurrentPolicies(),
                    new BookingCancellationRequest(booking, event.cancel(), ticketsOf(booking), afterStart), null);
        }
    }

    @Nested
    class CheckIn {

        private final Event event = publishedEvent();
        private final Booking booking = confirmedBooking(event, availableSeatsOf(event, 1));

        @Test
        void a_valid_ticket_of_this_event_is_admitted() {
            assertDecision(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(ticketsOf(booking).get(0), event.id(), event), null);
        }

        @Test
        void a_ticket_is_admitted_once() {
            Ticket used = ticketsOf(booking, TicketStatus.USED).get(0);
            assertDecision(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(used, event.id(), event),
                    RejectionReason.TICKET_ALREADY_USED);
        }

        @Test
        void refunded_and_cancelled_tickets_are_not_admitted() {
            assertDecision(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(ticketsOf(booking, TicketStatus.REFUNDED).get(0),
                    event.id(), event), RejectionReason.TICKET_NOT_VALID);
            assertDecision(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(ticketsOf(booking, TicketStatus.CANCELLED).get(0),
                    event.id(), event), RejectionReason.TICKET_CANCELLED);
        }

        @Test
        void a_ticket_of_another_event_is_not_admitted() {
            assertDecision(CheckInPolicy.allCurrentPolicies(),
                    new CheckInRequest(ticketsOf(booking).get(0), EventId.newId(), event), RejectionReason.TICKET_OF_ANOTHER_EVENT);
        }

        @Test
        void nobody_is_admitted_to_a_cancelled_or_deleted_event() {
            Ticket ticket = ticketsOf(booking).get(0);
            assertDecision(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(ticket, event.id(), event.cancel()),
                    RejectionReason.EVENT_CANCELLED);
            assertDecision(CheckInPolicy.allCurrentPolicies(), new CheckInRequest(ticket, event.id(), deleted(event)),
                    RejectionReason.EVENT_CANCELLED);
        }
    }

    @Nested
    class SeatAdministration {

        private final Event event = publishedEvent();

        private SeatAdministrationRequest requestFor(Seat... seats) {
            return new SeatAdministrationRequest(event.id(), Arrays.stream(seats).map(Seat::id).toList(), List.of(seats));
        }

        @Test
        void only_available_seats_can_be_blocked() {
            assertDecision(SeatAdministrationPolicy.blocking(), requestFor(seatOf(event, 1, SeatStatus.AVAILABLE)), null);
            for (SeatStatus status : List.of(SeatStatus.RESERVED, SeatStatus.BOOKED, SeatStatus.BLOCKED)) {
                assertDecision(SeatAdministrationPolicy.blocking(),
                        requestFor(seatOf(event, 1, SeatStatus.AVAILABLE), seatOf(event, 2, status)), RejectionReason.SEATS_UNAVAILABLE);
            }
        }

        @Test
        void only_blocked_seats_can_be_unblocked() {
            assertDecision(SeatAdministrationPolicy.unblocking(), requestFor(seatOf(event, 1, SeatStatus.BLOCKED)), null);
            assertDecision(SeatAdministrationPolicy.unblocking(), requestFor(seatOf(event, 1, SeatStatus.AVAILABLE)),
                    RejectionReason.SEAT_NOT_BLOCKED);
        }

        @Test
        void only_seats_nobody_holds_or_bought_can_be_repriced() {
            assertDecision(SeatAdministrationPolicy.repricing(), requestFor(seatOf(event, 1, SeatStatus.BLOCKED)), null);
            assertDecision(SeatAdministrationPolicy.repricing(), requestFor(seatOf(event, 1, SeatStatus.BOOKED)),
                    RejectionReason.SEAT_HELD_OR_SOLD);
        }

        @Test
        void seats_must_belong_to_the_event() {
            assertDecision(SeatAdministrationPolicy.blocking(),
                    new SeatAdministrationRequest(event.id(), List.of(SeatId.newId()), List.of()), RejectionReason.SEAT_NOT_OF_EVENT);
        }
    }

    @Nested
    class Access {

        private final CustomerId ann = CustomerId.newId();

        @Test
        void only_admins_and_the_system_operate() {
            assertThat(AccessPolicy.mayOperate(Actor.admin("a")).isAllowed()).isTrue();
            assertThat(AccessPolicy.mayOperate(Actor.system("s")).isAllowed()).isTrue();
            for (Actor actor : List.of(Actor.staff("s"), Actor.customer(ann), Actor.anonymous())) {
                assertThat(AccessPolicy.mayOperate(actor).rejectionIfAny()).map(Rejection::reason).contains(RejectionReason.ACCESS_DENIED);
            }
        }

        @Test
        void staff_and_operators_check_in() {
            assertThat(AccessPolicy.mayCheckIn(Actor.staff("door")).isAllowed()).isTrue();
            assertThat(AccessPolicy.mayCheckIn(Actor.admin("a")).isAllowed()).isTrue();
            assertThat(AccessPolicy.mayCheckIn(Actor.customer(ann)).isAllowed()).isFalse();
        }

        @Test
        void customers_act_only_for_themselves() {
            assertThat(AccessPolicy.mayActFor(Actor.customer(ann), ann)).isTrue();
            assertThat(AccessPolicy.mayActFor(Actor.customer(CustomerId.newId()), ann)).isFalse();
            assertThat(AccessPolicy.mayActFor(Actor.staff("door"), ann)).isFalse();
            assertThat(AccessPolicy.mayActFor(Actor.admin("a"), ann)).isTrue();
        }
    }
}
