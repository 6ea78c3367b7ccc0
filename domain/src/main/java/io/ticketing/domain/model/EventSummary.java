package io.ticketing.domain.model;

import java.util.Collection;
import java.util.Currency;

/**
 * Per-event counters, kept by the storage (database triggers) and equal at every commit to
 * {@link #recount}. Gross revenue counts every booking ever paid; refunds the paid ones cancelled since.
 */
public record EventSummary(EventId eventId, long availableSeats, long reservedSeats, long bookedSeats, long blockedSeats,
                           long confirmedBookings, long ticketsSold, long ticketsCheckedIn,
                           Money grossRevenue, Money refunds) {

    public static EventSummary recount(EventId eventId, Currency currency, Collection<Seat> seats,
                                       Collection<Booking> bookings, Collection<Ticket> tickets) {
        return new EventSummary(eventId,
                countSeats(seats, SeatStatus.AVAILABLE),
                countSeats(seats, SeatStatus.RESERVED),
                countSeats(seats, SeatStatus.BOOKED),
                countSeats(seats, SeatStatus.BLOCKED),
                bookings.stream().filter(booking -> booking.status() == BookingStatus.CONFIRMED).count(),
                tickets.stream().filter(ticket -> ticket.status() == TicketStatus.VALID
                        || ticket.status() == TicketStatus.USED).count(),
                tickets.stream().filter(ticket -> ticket.status() == TicketStatus.USED).count(),
                Money.sum(currency, bookings.stream().filter(Booking::wasPaid).map(Booking::total).toList()),
                Money.sum(currency, bookings.stream().filter(Booking::isRefunded).map(Booking::total).toList()));
    }

    public static EventSummary empty(EventId eventId, Currency currency) {
        return new EventSummary(eventId, 0, 0, 0, 0, 0, 0, 0, Money.zero(currency), Money.zero(currency));
    }

    public long totalSeats() {
        return availableSeats + reservedSeats + bookedSeats + blockedSeats;
    }

    public Money netRevenue() {
        return grossRevenue.minus(refunds);
    }

    private static long countSeats(Collection<Seat> seats, SeatStatus status) {
        return seats.stream().filter(seat -> seat.status() == status).count();
    }
}
