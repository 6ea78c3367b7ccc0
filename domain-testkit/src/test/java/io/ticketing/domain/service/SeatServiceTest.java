package io.ticketing.domain.service;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.DuplicateException;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.ChangeSeatPriceCommand;
import io.ticketing.domain.port.in.CreateSeatsCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.SeatBlock;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeatServiceTest extends UseCaseTestSupport {

    @Test
    void a_seat_is_repriced_only_from_the_version_the_admin_saw() {
        EventWithSeats concert = given.publishedEventWithSeats(1);
        Seat seat = concert.seats().get(0);

        Seat repriced = services.seats().changeSeatPrice(new ChangeSeatPriceCommand(ADMIN, concert.event().id(), seat.id(),
                seat.version(), new BigDecimal("30")));

        assertThat(repriced.price()).isEqualTo(Money.of("30.00", "EUR"));
        assertThat(repriced.version()).isEqualTo(seat.version() + 1);
        assertThatThrownBy(() -> services.seats().changeSeatPrice(new ChangeSeatPriceCommand(ADMIN, concert.event().id(),
                seat.id(), seat.version(), new BigDecimal("40")))).isInstanceOf(ConcurrentChangeException.class);
    }

    @Test
    void a_held_seat_keeps_its_price() {
        EventWithSeats concert = given.publishedEventWithSeats(1);
        given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        Seat held = ports.loadSeat().loadSeatsOfEvent(concert.event().id()).get(0);
        assertRejected(() -> services.seats().changeSeatPrice(new ChangeSeatPriceCommand(ADMIN, concert.event().id(),
                held.id(), held.version(), BigDecimal.ONE)), RejectionReason.SEAT_HELD_OR_SOLD);
    }

    @Test
    void a_position_twice_in_one_request_is_refused() {
        Event draft = given.draftEvent(Duration.ofDays(1));
        assertThatThrownBy(() -> services.seats().createSeats(new CreateSeatsCommand(ADMIN, draft.id(), List.of(
                new SeatBlock("A", List.of("1"), 1, 2, BigDecimal.TEN), new SeatBlock("A", List.of("1"), 2, 3, BigDecimal.TEN)))))
                .isInstanceOf(DuplicateException.class).hasMessageContaining("A/1/2");
        assertThat(ports.loadSeat().loadSeatsOfEvent(draft.id())).isEmpty();
    }

    @Test
    void anonymous_visitors_see_availability_of_published_events_only() {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        Event draft = given.draftEvent(Duration.ofDays(1));
        services.seats().createSeats(new CreateSeatsCommand(ADMIN, draft.id(),
                List.of(new SeatBlock("A", List.of("1"), 1, 2, BigDecimal.TEN))));

        assertThat(given.seatMap(Actor.anonymous(), concert.event().id(), 10)).hasSize(2);
        assertThatThrownBy(() -> given.seatMap(Actor.anonymous(), draft.id(), 10)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> given.seatMap(Actor.anonymous(), EventId.newId(), 10)).isInstanceOf(NotFoundException.class);
        assertThat(given.seatMap(ADMIN, draft.id(), 10)).hasSize(2);
    }

    @Test
    void seats_cannot_be_added_to_a_deleted_event() {
        Event draft = given.draftEvent(Duration.ofDays(1));
        services.events().deleteEvent(new EventCommand(ADMIN, draft.id()));
        assertRejected(() -> services.seats().createSeats(new CreateSeatsCommand(ADMIN, draft.id(),
                List.of(new SeatBlock("A", List.of("1"), 1, 1, BigDecimal.TEN)))), RejectionReason.EVENT_DELETED);
    }
}
