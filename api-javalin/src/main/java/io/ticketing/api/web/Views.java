package io.ticketing.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.port.in.EventPage;
import io.ticketing.domain.port.in.SeatPage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The JSON the API answers with: its own records, so that the domain can change without changing
 * the contract. Money is a string amount with its currency, never a floating-point number.
 */
final class Views {

    private Views() {
    }

    record MoneyView(String amount, String currency) {
        static MoneyView of(Money money) {
            return new MoneyView(money.amount().toPlainString(), money.currency().getCurrencyCode());
        }
    }

    record EventView(UUID id, String title, String description, String venue, Instant startsAt, Instant endsAt,
                     String currency, String status, boolean deleted, Instant deletedAt, long version) {
        static EventView of(Event event) {
            var details = event.details();
            return new EventView(event.id().value(), details.title(), details.description(), details.venue(),
                    details.startsAt(), details.endsAt(), event.currency().getCurrencyCode(), event.status().name(),
                    event.isDeleted(), event.deletion() == null ? null : event.deletion().deletedAt(), event.version());
        }
    }

    /** How far a cascade has got: {@code done} of {@code total}. */
    record ProgressView(long done, long total) {
    }

    record EventCancellationView(UUID eventId, String state, String reason, String requestedBy, Instant requestedAt,
                                 ProgressView bookings, ProgressView checkouts, ProgressView seats, long refundsRequested,
                                 Instant finishedAt) {
        static EventCancellationView of(EventCancellation cancellation) {
            return new EventCancellationView(cancellation.eventId().value(), cancellation.state().name(),
                    cancellation.reason(), cancellation.requestedBy(), cancellation.requestedAt(),
                    new ProgressView(cancellation.bookingsDone(), cancellation.bookingsTotal()),
                    new ProgressView(cancellation.checkoutsDone(), cancellation.checkoutsTotal()),
                    new ProgressView(cancellation.seatsDone(), cancellation.seatsTotal()),
                    cancellation.refundsRequested(), cancellation.finishedAt());
        }
    }

    record SeatView(UUID id, String section, String row, int number, MoneyView price, String status, long version) {
        static SeatView of(Seat seat) {
            return new SeatView(seat.id().value(), seat.position().section(), seat.position().row(), seat.position().number(),
                    MoneyView.of(seat.price()), seat.status().name(), seat.version());
        }

        static List<SeatView> of(List<Seat> seats) {
            return seats.stream().map(SeatView::of).toList();
        }
    }

    record EventPageView(List<EventView> items, UUID nextAfter) {
        static EventPageView of(EventPage page) {
            return new EventPageView(page.events().stream().map(EventView::of).toList(), page.nextAfter().map(EventId::value).orElse(null));
        }
    }

    /** {@code nextAfter}: {@link UpcomingEventsCursor}, a place in the list rather than an id. */
    record UpcomingEventsView(List<EventView> items, String nextAfter) {
    }

    record SeatPageView(List<SeatView> items, UUID nextAfter) {
        static SeatPageView of(SeatPage page) {
            return new SeatPageView(SeatView.of(page.seats()), page.nextAfter().map(SeatId::value).orElse(null));
        }
    }

    record CheckoutView(UUID id, UUID eventId, UUID customerId, List<UUID> seatIds, MoneyView amount, String status,
                        Instant createdAt, Instant expiresAt, String providerReference) {
        static CheckoutView of(PaymentSession session) {
            return new CheckoutView(session.id().value(), session.eventId().value(), session.customerId().value(),
                    session.seatIds().stream().map(SeatId::value).toList(), MoneyView.of(session.amount()),
                    session.status().name(), session.createdAt(), session.expiresAt(), session.providerReference());
        }
    }

    record BookedSeatView(UUID seatId, MoneyView price) {
    }

    /**
     * {@code paymentSessionId} is null for a booking without a checkout of its own (a migrated one).
     * {@code reviewReason} is for operators only: it is left out of what customers see, and out of an
     * operator's view when there is nothing to review.
     */
    record BookingView(UUID id, UUID eventId, UUID customerId, UUID paymentSessionId, List<BookedSeatView> seats,
                       MoneyView total, String status, Instant createdAt, Instant confirmedAt, Instant cancelledAt,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String reviewReason) {

        /** As its customer sees it. */
        static BookingView of(Booking booking) {
            return of(booking, false);
        }

        static BookingView of(Booking booking, boolean forOperator) {
            return new BookingView(booking.id().value(), booking.eventId().value(), booking.customerId().value(),
                    booking.paymentSessionId().map(PaymentSessionId::value).orElse(null),
                    booking.seats().stream().map(s -> new BookedSeatView(s.seatId().value(), MoneyView.of(s.price()))).toList(),
                    MoneyView.of(booking.total()), booking.status().name(), booking.createdAt(), booking.confirmedAt(),
                    booking.cancelledAt(), forOperator ? booking.reviewReason().orElse(null) : null);
        }
    }

    record BookingPageView(List<BookingView> items, UUID nextAfter) {
    }

    record TicketView(UUID id, UUID eventId, UUID bookingId, UUID seatId, String code, String status, Instant issuedAt,
                      Instant checkedInAt) {
        static TicketView of(Ticket ticket) {
            return new TicketView(ticket.id().value(), ticket.eventId().value(), ticket.bookingId().value(),
                    ticket.seatId().value(), ticket.code().value(), ticket.status().name(), ticket.issuedAt(),
                    ticket.checkedInAt());
        }

        static List<TicketView> of(List<Ticket> tickets) {
            return tickets.stream().map(TicketView::of).toList();
        }
    }

    record EventStatsView(UUID eventId, long availableSeats, long reservedSeats, long bookedSeats, long blockedSeats,
                          long confirmedBookings, long ticketsSold, long ticketsCheckedIn, MoneyView grossRevenue,
                          MoneyView refunds) {
        static EventStatsView of(EventSummary summary) {
            return new EventStatsView(summary.eventId().value(), summary.availableSeats(), summary.reservedSeats(),
                    summary.bookedSeats(), summary.blockedSeats(), summary.confirmedBookings(), summary.ticketsSold(),
                    summary.ticketsCheckedIn(), MoneyView.of(summary.grossRevenue()), MoneyView.of(summary.refunds()));
        }
    }

    record SalesRowView(UUID eventId, String title, long ticketsSold, long bookings, MoneyView totalRevenue,
                        MoneyView refunds, BigDecimal sellThrough, Instant lastSaleAt) {
        static SalesRowView of(EventSalesRow row) {
            return new SalesRowView(row.eventId().value(), row.title(), row.ticketsSold(), row.bookings(),
                    MoneyView.of(row.totalRevenue()), MoneyView.of(row.refunds()), row.sellThrough(), row.lastSaleAt());
        }
    }
}
