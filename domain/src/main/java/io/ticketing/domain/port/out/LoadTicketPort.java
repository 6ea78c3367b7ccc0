package io.ticketing.domain.port.out;

import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketCode;

import java.util.List;
import java.util.Optional;

public interface LoadTicketPort {

    Optional<Ticket> loadTicketByCode(TicketCode code, RowLock lock);

    List<Ticket> loadTicketsOfBooking(BookingId bookingId);

    List<Ticket> loadTicketsOfEvent(EventId eventId);
}
