package io.ticketing.domain;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatPosition;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** Entities in named states, built without any port, for policy and entity tests. */
public final class DomainFixtures {

    public static final Instant NOW = Instant.parse("2030-01-15T10:00:00Z");
    public static final Money PRICE = Money.of("25.00", "EUR");

    private DomainFixtures() {
    }

    public static Event draftEventStartingIn(Duration startsIn) {
        return Event.draft(new EventDetails("Concert", null, "Hall", NOW.plus(startsIn), null), PRICE.currency(), NOW);
    }

    public static Event publishedEvent() {
        return publishedEventStartingIn(Duration.ofDays(30));
    }

    public static Event publishedEventStartingIn(Duration startsIn) {
        return draftEventStartingIn(startsIn).publish();
    }

    public static Event cancelledEvent() {
        return publishedEvent().cancel();
    }

    public static Event deleted(Event event) {
        return event.markDeleted(NOW, Actor.admin("fixture"));
    }

    public static Seat seatOf(Event event, int number, SeatStatus status) {
        Seat seat = Seat.available(event.id(), new SeatPosition("A", "1", number), PRICE);
        return new Seat(seat.id(), seat.eventId(), seat.position(), seat.price(), status, 0);
    }

    public static List<Seat> availableSeatsOf(Event event, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> seatOf(event, n, SeatStatus.AVAILABLE)).toList();
    }

    public static PaymentSession openSession(Event event, List<Seat> seats) {
        return PaymentSession.open(event, CustomerId.newId(), NOW, Duration.ofMinutes(15)).withReservedSeats(seats);
    }

    public static Booking confirmedBooking(Event event, List<Seat> seats) {
        return Booking.pendingFor(openSession(event, seats), seats, NOW).confirm(NOW);
    }

    public static List<Ticket> ticketsOf(Booking booking, TicketStatus... statuses) {
        List<Ticket> tickets = booking.seatIds().stream().map(seat -> Ticket.issue(booking, seat, NOW)).toList();
        return IntStream.range(0, tickets.size()).mapToObj(i -> {
            Ticket ticket = tickets.get(i);
            TicketStatus status = i < statuses.length ? statuses[i] : TicketStatus.VALID;
            return new Ticket(ticket.id(), ticket.eventId(), ticket.bookingId(), ticket.seatId(), ticket.customerId(),
                    ticket.code(), status, ticket.issuedAt(), status == TicketStatus.USED ? NOW : null);
        }).toList();
    }

    public static EventSummary summaryWith(Event event, long reservedSeats, long confirmedBookings) {
        return new EventSummary(event.id(), 0, reservedSeats, 0, 0, confirmedBookings, 0, 0,
                Money.zero(event.currency()), Money.zero(event.currency()));
    }
}
