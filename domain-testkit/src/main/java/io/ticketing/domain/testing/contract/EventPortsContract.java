package io.ticketing.domain.testing.contract;

import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.DuplicateException;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventPosition;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.InvalidCursorException;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.AvailableSeatsQuery;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.EditEventCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.EventPage;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetUpcomingEventsQuery;
import io.ticketing.domain.port.in.ListEventsQuery;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.SeatAdminCommand;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.port.in.SeatPage;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Events, their soft delete, and seat layout, as any adapter must store them. */
public abstract class EventPortsContract extends TicketingContractSupport {

    @Test
    void upcoming_events_are_published_not_deleted_not_started_and_earliest_first() {
        EventWithSeats later = given.publishedEventWithSeats(1, Duration.ofDays(20));
        EventWithSeats sooner = given.publishedEventWithSeats(1, Duration.ofDays(10));
        EventWithSeats deleted = given.publishedEventWithSeats(1, Duration.ofDays(5));
        services.events().deleteEvent(new EventCommand(ADMIN, deleted.event().id()));
        given.draftEvent(Duration.ofDays(3));
        EventWithSeats cancelled = given.publishedEventWithSeats(1, Duration.ofDays(4));
        given.cancelledEvent(cancelled.event().id());
        EventWithSeats startingSoon = given.publishedEventWithSeats(1, Duration.ofHours(1));

        clock.advance(Duration.ofHours(2));
        List<Event> upcoming = services.events().getUpcomingEvents(GetUpcomingEventsQuery.firstPage()).events();

        assertThat(upcoming).extracting(Event::id).containsExactly(sooner.event().id(), later.event().id());
        assertThat(startingSoon.event().id()).isNotIn(upcoming.stream().map(Event::id).toList());
    }

    @Test
    void the_admin_list_pages_through_every_event_oldest_first_and_shows_deleted_ones_only_when_asked() {
        List<Event> created = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            created.add(given.draftEvent(Duration.ofDays(i)));
        }
        Event deleted = services.events().deleteEvent(new EventCommand(ADMIN, created.get(2).id()));

        EventPage first = services.events().listEvents(new ListEventsQuery(ADMIN, true, null, 2));
        EventPage second = services.events().listEvents(new ListEventsQuery(ADMIN, true, first.nextAfter().orElseThrow(), 2));
        EventPage last = services.events().listEvents(new ListEventsQuery(ADMIN, true, second.nextAfter().orElseThrow(), 2));
        EventPage withoutDeleted = services.events().listEvents(new ListEventsQuery(ADMIN, false, null, 10));

        assertThat(java.util.stream.Stream.of(first, second, last).flatMap(page -> page.events().stream()).map(Event::id))
                .containsExactlyElementsOf(created.stream().map(Event::id).toList());
        assertThat(last.nextAfter()).isEmpty();
        assertThat(second.events()).contains(deleted);
        assertThat(withoutDeleted.events()).extracting(Event::id)
                .containsExactlyElementsOf(created.stream().map(Event::id).filter(id -> !id.equals(deleted.id())).toList());
        assertRejected(() -> services.events().listEvents(new ListEventsQuery(Actor.anonymous(), true, null, 10)),
                RejectionReason.ACCESS_DENIED);
    }

    @Test
    void upcoming_events_page_by_start_then_id_and_an_event_moved_between_pages_moves_no_other_out_of_the_walk() {
        List<Event> sorted = new java.util.ArrayList<>();
        for (int day : List.of(3, 1, 2, 2, 2)) { // three at one start: their ids order them
            sorted.add(given.publishedEventWithSeats(1, Duration.ofDays(day)).event());
        }
        sorted.sort(java.util.Comparator.comparing((Event event) -> event.details().startsAt()).thenComparing(Event::id));

        EventPage first = services.events().getUpcomingEvents(new GetUpcomingEventsQuery(2));
        Event ended = first.events().get(1);
        // An admin moves the first page's last event after all the others before the next page is read.
        services.events().editEvent(new EditEventCommand(ADMIN, ended.id(), ended.version(), given.detailsStartingIn(Duration.ofDays(30), "Moved")));
        EventPage second = services.events().getUpcomingEvents(new GetUpcomingEventsQuery(EventPosition.of(ended), 2));
        EventPage last = services.events().getUpcomingEvents(new GetUpcomingEventsQuery(EventPosition.of(second.events().get(1)), 2));

        assertThat(first.nextAfter()).contains(ended.id());
        // Every other event once, in order; the moved one once more, where its new start puts it.
        assertThat(java.util.stream.Stream.of(first, second, last).flatMap(page -> page.events().stream()).map(Event::id))
                .containsExactlyElementsOf(java.util.stream.Stream.concat(sorted.stream(), java.util.stream.Stream.of(ended)).map(Event::id).toList());
        assertThat(last.nextAfter()).isEmpty();
    }

    @Test
    void an_edit_based_on_a_stale_version_is_refused_and_changes_nothing() {
        Event draft = given.draftEvent(Duration.ofDays(7));
        EventDetails first = given.detailsStartingIn(Duration.ofDays(8), "First edit");
        Event edited = services.events().editEvent(new EditEventCommand(ADMIN, draft.id(), draft.version(), first));
        assertThat(edited.version()).isGreaterThan(draft.version());

        EventDetails stale = given.detailsStartingIn(Duration.ofDays(9), "Stale edit");
        assertThatThrownBy(() -> services.events().editEvent(new EditEventCommand(ADMIN, draft.id(), draft.version(), stale)))
                .isInstanceOf(ConcurrentChangeException.class);
        assertThat(ports.loadEvent().loadEvent(draft.id(), RowLock.NONE).orElseThrow().details().title())
                .isEqualTo("First edit");
    }

    @Test
    void an_upcoming_event_cannot_be_moved_into_the_past_but_one_under_way_can_be_corrected() {
        Event upcoming = given.draftEvent(Duration.ofDays(7));
        EventDetails past = given.detailsStartingIn(Duration.ofHours(-1), "Moved back");
        assertThatThrownBy(() -> services.events().editEvent(new EditEventCommand(ADMIN, upcoming.id(), upcoming.version(), past)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("is in the past");
        assertThat(ports.loadEvent().loadEvent(upcoming.id(), RowLock.NONE).orElseThrow().details().title())
                .isEqualTo(upcoming.details().title());

        Event underWay = given.draftEvent(Duration.ofHours(1));
        clock.advance(Duration.ofHours(2));
        Event corrected = services.events().editEvent(new EditEventCommand(ADMIN, underWay.id(), underWay.version(),
                given.detailsStartingIn(Duration.ofMinutes(-90), "Started at half past")));
        assertThat(corrected.details().title()).isEqualTo("Started at half past");
    }

    @Test
    void the_event_port_itself_refuses_a_stale_version() {
        Event draft = given.draftEvent(Duration.ofDays(7));
        Event saved = inUnitOfWork(ADMIN, () -> ports.saveEvent().updateEvent(draft.publish()));
        assertThat(saved.version()).isEqualTo(draft.version() + 1);
        assertThatThrownBy(() -> inUnitOfWork(ADMIN, () -> ports.saveEvent().updateEvent(draft.cancel())))
                .isInstanceOf(ConcurrentChangeException.class);
        assertThat(ports.loadEvent().loadEvent(draft.id(), RowLock.NONE).orElseThrow().status()).isEqualTo(EventStatus.PUBLISHED);
    }

    @Test
    void a_deleted_event_disappears_from_customers_and_cannot_be_booked_until_restored() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        Actor asCustomer = Actor.customer(customer.id());

        Event deleted = services.events().deleteEvent(new EventCommand(ADMIN, concert.event().id()));

        assertThat(deleted.isDeleted()).isTrue();
        assertThat(deleted.deletion().deletedBy()).contains(ADMIN.name());
        assertThat(services.events().getEvent(new EventQuery(asCustomer, concert.event().id()))).isEmpty();
        assertThat(services.events().getEvent(new EventQuery(ADMIN, concert.event().id()))).isPresent();
        assertThatThrownBy(() -> given.seatMap(asCustomer, concert.event().id(), 10)).isInstanceOf(NotFoundException.class);
        assertThat(services.events().getUpcomingEvents(GetUpcomingEventsQuery.firstPage()).events()).isEmpty();
        // Checking it out tells a customer no more than reading it: not found, as an event that never was.
        assertThatThrownBy(() -> given.checkout(customer, concert, concert.seatIds(0, 1))).isInstanceOf(NotFoundException.class);

        services.events().restoreEvent(new EventCommand(ADMIN, concert.event().id()));

        assertThat(given.seatMap(asCustomer, concert.event().id(), 10)).hasSize(3);
        assertThat(given.checkout(customer, concert, concert.seatIds(0, 1)).seatIds()).hasSize(1);
    }

    @Test
    void the_seat_map_pages_by_position_and_shows_each_seat_once_while_seats_change_status() {
        // Laid out out of order, so that neither creation nor id order is the seat map's; 10 comes after 9.
        Event draft = given.draftEvent(Duration.ofDays(30));
        List<Seat> laidOut = services.seats().createSeats(new CreateSeatsCommand(ADMIN, draft.id(), List.of(
                new SeatBlock("B", List.of("2", "1"), 1, 10, BigDecimal.TEN), new SeatBlock("A", List.of("1"), 1, 10, BigDecimal.TEN))));
        services.events().publishEvent(new EventCommand(ADMIN, draft.id()));
        List<Seat> inOrder = laidOut.stream().sorted(Comparator.comparing((Seat seat) -> seat.position().section())
                .thenComparing(seat -> seat.position().row()).thenComparingInt(seat -> seat.position().number())).toList();
        Actor anyone = Actor.anonymous();
        Customer customer = given.customer();
        services.seats().blockSeats(new SeatAdminCommand(ADMIN, draft.id(), List.of(inOrder.get(25).id())));

        SeatPage first = services.seats().getAvailableSeats(new AvailableSeatsQuery(anyone, draft.id(), null, 7));
        // Behind the cursor and at it (the cursor itself taken), and ahead of it: taken, held by a checkout, freed.
        services.seats().blockSeats(new SeatAdminCommand(ADMIN, draft.id(), List.of(inOrder.get(2).id(), inOrder.get(6).id(),
                inOrder.get(20).id())));
        services.checkouts().openCheckout(OpenCheckoutCommand.byCustomer(customer.id(), draft.id(),
                List.of(inOrder.get(10).id(), inOrder.get(11).id())));
        services.seats().unblockSeats(new SeatAdminCommand(ADMIN, draft.id(), List.of(inOrder.get(25).id())));
        List<Seat> walked = new java.util.ArrayList<>(first.seats());
        SeatPage page = first;
        while (page.nextAfter().isPresent()) {
            page = services.seats().getAvailableSeats(new AvailableSeatsQuery(anyone, draft.id(), page.nextAfter().get(), 7));
            assertThat(page.seats()).hasSizeLessThanOrEqualTo(7);
            walked.addAll(page.seats());
        }

        assertThat(first.seats()).hasSize(7).extracting(Seat::id).containsExactlyElementsOf(inOrder.subList(0, 7).stream().map(Seat::id).toList());
        assertThat(first.nextAfter()).contains(inOrder.get(6).id());
        List<Integer> taken = List.of(10, 11, 20);
        assertThat(walked).extracting(Seat::id).containsExactlyElementsOf(java.util.stream.IntStream.range(0, inOrder.size())
                .filter(i -> !taken.contains(i)).mapToObj(i -> inOrder.get(i).id()).toList());
        assertThat(walked.subList(7, walked.size())).allSatisfy(seat -> assertThat(seat.status()).isEqualTo(SeatStatus.AVAILABLE));
    }

    @Test
    void a_seat_map_cursor_that_is_not_a_seat_of_the_event_is_refused_and_the_page_size_is_bounded() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        EventWithSeats other = given.publishedEventWithSeats(3);
        Actor anyone = Actor.anonymous();

        for (SeatId cursor : List.of(other.seat(0), SeatId.newId())) {
            assertThatThrownBy(() -> services.seats().getAvailableSeats(new AvailableSeatsQuery(anyone, concert.event().id(), cursor, 10)))
                    .isInstanceOf(InvalidCursorException.class).hasMessageContaining("nextAfter");
        }
        SeatPage last = services.seats().getAvailableSeats(new AvailableSeatsQuery(anyone, concert.event().id(), concert.seat(2), 10));
        assertThat(last.seats()).isEmpty();
        assertThat(last.nextAfter()).isEmpty();
        assertThat(services.seats().getAvailableSeats(new AvailableSeatsQuery(anyone, concert.event().id(), null,
                AvailableSeatsQuery.MAX_LIMIT)).seats()).hasSize(3);
        for (int limit : new int[] {0, AvailableSeatsQuery.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> new AvailableSeatsQuery(anyone, concert.event().id(), null, limit)).isInstanceOf(InvalidValueException.class);
        }
    }

    @Test
    void deleting_a_future_event_with_confirmed_bookings_is_refused_until_it_is_cancelled() {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        given.paidBooking(given.customer(), concert, concert.seatIds(0, 1));

        assertRejected(() -> services.events().deleteEvent(new EventCommand(ADMIN, concert.event().id())),
                RejectionReason.EVENT_HAS_CONFIRMED_BOOKINGS);
        assertThat(ports.loadEvent().loadEvent(concert.event().id(), RowLock.NONE).orElseThrow().isDeleted()).isFalse();

        given.cancelledEvent(concert.event().id());
        assertThat(services.events().deleteEvent(new EventCommand(ADMIN, concert.event().id())).isDeleted()).isTrue();
    }

    @Test
    void seats_are_laid_out_as_sections_times_rows_times_numbers_in_the_event_currency() {
        Event draft = given.draftEvent(Duration.ofDays(7));
        List<Seat> seats = services.seats().createSeats(new CreateSeatsCommand(ADMIN, draft.id(), List.of(
                new SeatBlock("A", List.of("1", "2"), 1, 3, new BigDecimal("10.00")),
                new SeatBlock("B", List.of("1"), 5, 6, new BigDecimal("99.50")))));

        List<Seat> stored = ports.loadSeat().loadSeatsOfEvent(draft.id());
        assertThat(stored).hasSize(8).containsExactlyInAnyOrderElementsOf(seats);
        assertThat(stored).allSatisfy(seat -> {
            assertThat(seat.status()).isEqualTo(SeatStatus.AVAILABLE);
            assertThat(seat.price().currency()).isEqualTo(draft.currency());
        });
        assertThat(stored).filteredOn(seat -> seat.position().section().equals("B"))
                .extracting(seat -> seat.price().amount()).containsOnly(new BigDecimal("99.50"));
    }

    @Test
    void a_seat_position_that_is_taken_refuses_the_whole_batch() {
        EventWithSeats concert = given.publishedEventWithSeats(2); // A/1/1 and A/1/2
        CreateSeatsCommand overlapping = new CreateSeatsCommand(ADMIN, concert.event().id(),
                List.of(new SeatBlock("A", List.of("1"), 2, 5, new BigDecimal("10.00"))));

        assertThatThrownBy(() -> services.seats().createSeats(overlapping)).isInstanceOf(DuplicateException.class);
        assertThat(ports.loadSeat().loadSeatsOfEvent(concert.event().id())).hasSize(2);
    }

    @Test
    void loading_seats_leaves_out_seats_of_other_events() {
        EventWithSeats first = given.publishedEventWithSeats(2);
        EventWithSeats second = given.publishedEventWithSeats(2);

        assertThat(ports.loadSeat().loadSeats(first.event().id(), List.of(first.seat(0), second.seat(0))))
                .extracting(Seat::id).containsExactly(first.seat(0));
    }
}
