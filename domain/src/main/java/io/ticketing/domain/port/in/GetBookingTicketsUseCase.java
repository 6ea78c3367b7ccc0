package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Ticket;

import java.util.List;

/** The tickets of a booking; NotFoundException for bookings the requester may not see. */
public interface GetBookingTicketsUseCase {

    List<Ticket> getBookingTickets(BookingCommand query);
}
