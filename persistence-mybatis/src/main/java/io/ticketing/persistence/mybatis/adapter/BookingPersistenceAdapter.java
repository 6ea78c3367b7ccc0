package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketCode;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.port.out.LoadBookingPort;
import io.ticketing.domain.port.out.LoadTicketPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveBookingPort;
import io.ticketing.domain.port.out.SaveTicketPort;

import java.util.List;
import java.util.Optional;

/** Bookings ({@code booking}, {@code booked_seat}) and their tickets. */
final class BookingPersistenceAdapter implements LoadBookingPort, SaveBookingPort, LoadTicketPort, SaveTicketPort {

    private static final String BOOKING = "Booking";
    private static final String TICKET = "Ticket";
    private static final int INSERT_CHUNK = 1000;

    private final Database database;

    BookingPersistenceAdapter(Database database) {
        this.database = database;
    }

    @Override
    public Optional<Booking> loadBooking(BookingId id, RowLock lock) {
        return database.call(BookingMapper.class, BOOKING, mapper ->
                Optional.ofNullable(mapper.findById(id.value(), lock)).map(BookingMapper.BookingRow::toDomain));
    }

    @Override
    public Optional<Booking> loadBookingOfPaymentSession(PaymentSessionId paymentSessionId) {
        return database.call(BookingMapper.class, BOOKING, mapper ->
                Optional.ofNullable(mapper.findByPaymentSession(paymentSessionId.value()))
                        .map(BookingMapper.BookingRow::toDomain));
    }

    @Override
    public List<Booking> loadBookingsOfCustomer(CustomerId customerId, BookingId after, int limit) {
        return database.call(BookingMapper.class, BOOKING, mapper ->
                toBookings(mapper.findOfCustomer(customerId.value(), after == null ? null : after.value(), limit)));
    }

    @Override
    public List<Booking> loadBookingsOfEvent(EventId eventId) {
        return database.call(BookingMapper.class, BOOKING, mapper -> toBookings(mapper.findOfEvent(eventId.value())));
    }

    @Override
    public List<Booking> loadBookingsToReview(BookingId after, int limit) {
        return database.call(BookingMapper.class, BOOKING, mapper ->
                toBookings(mapper.findToReview(after == null ? null : after.value(), limit)));
    }

    @Override
    public void insertBooking(Booking booking) {
        database.call(BookingMapper.class, BOOKING, mapper -> mapper.insert(booking,
                booking.paymentSessionId().map(PaymentSessionId::value).orElse(null), booking.reviewReason().orElse(null),
                booking.status() == BookingStatus.CANCELLED));
    }

    @Override
    public void updateBooking(Booking changed, BookingStatus expectedStatus) {
        database.call(BookingMapper.class, BOOKING, mapper -> {
            Database.updatedOrStale(mapper.update(changed, expectedStatus, changed.reviewReason().orElse(null)), BOOKING, changed.id(), "status " + expectedStatus);
            if (changed.status() == BookingStatus.CANCELLED) {
                mapper.releaseSeats(changed.eventId().value(), changed.id().value());
            }
            return null;
        });
    }

    @Override
    public Optional<Ticket> loadTicketByCode(TicketCode code, RowLock lock) {
        return database.call(TicketMapper.class, TICKET, mapper ->
                Optional.ofNullable(mapper.findByCode(code.value(), lock)).map(TicketMapper.TicketRow::toDomain));
    }

    @Override
    public List<Ticket> loadTicketsOfBooking(BookingId bookingId) {
        return database.call(TicketMapper.class, TICKET, mapper -> toTickets(mapper.findOfBooking(bookingId.value())));
    }

    @Override
    public List<Ticket> loadTicketsOfEvent(EventId eventId) {
        return database.call(TicketMapper.class, TICKET, mapper -> toTickets(mapper.findOfEvent(eventId.value())));
    }

    @Override
    public void insertTickets(List<Ticket> tickets) {
        database.call(TicketMapper.class, TICKET, mapper -> {
            for (int from = 0; from < tickets.size(); from += INSERT_CHUNK) {
                mapper.insertTickets(tickets.subList(from, Math.min(tickets.size(), from + INSERT_CHUNK)));
            }
            return null;
        });
    }

    @Override
    public void updateTicket(Ticket changed, TicketStatus expectedStatus) {
        database.call(TicketMapper.class, TICKET, mapper -> {
            Database.updatedOrStale(mapper.update(changed, expectedStatus), TICKET, changed.id(), "status " + expectedStatus);
            return null;
        });
    }

    private static List<Booking> toBookings(List<BookingMapper.BookingRow> rows) {
        return rows.stream().map(BookingMapper.BookingRow::toDomain).toList();
    }

    private static List<Ticket> toTickets(List<TicketMapper.TicketRow> rows) {
        return rows.stream().map(TicketMapper.TicketRow::toDomain).toList();
    }
}
