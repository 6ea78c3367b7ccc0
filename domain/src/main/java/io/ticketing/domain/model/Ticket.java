package io.ticketing.domain.model;

import java.time.Instant;

/** Admission to one seat. {@code checkedInAt} is null until the ticket is used. */
public record Ticket(TicketId id, EventId eventId, BookingId bookingId, SeatId seatId, CustomerId customerId,
                     TicketCode code, TicketStatus status, Instant issuedAt, Instant checkedInAt) {

    private static final String ENTITY = "Ticket";

    public Ticket {
        InvalidValueException.required(id, "ticket id");
        InvalidValueException.required(eventId, "event id");
        InvalidValueException.required(bookingId, "booking id");
        InvalidValueException.required(seatId, "seat id");
        InvalidValueException.required(customerId, "customer id");
        InvalidValueException.required(code, "ticket code");
        InvalidValueException.required(status, "ticket status");
        InvalidValueException.required(issuedAt, "issuedAt");
    }

    public static Ticket issue(Booking booking, SeatId seatId, Instant now) {
        return new Ticket(TicketId.newId(), booking.eventId(), booking.id(), seatId, booking.customerId(),
                TicketCode.random(), TicketStatus.VALID, now, null);
    }

    public Ticket checkIn(Instant now) {
        return new Ticket(id, eventId, bookingId, seatId, customerId, code,
                status.moveTo(TicketStatus.USED, ENTITY, id), issuedAt, now);
    }

    /** Its event was cancelled: the ticket admits nobody; the money goes back by a refund of its booking. */
    public Ticket cancel() {
        return new Ticket(id, eventId, bookingId, seatId, customerId, code,
                status.moveTo(TicketStatus.CANCELLED, ENTITY, id), issuedAt, checkedInAt);
    }

    public Ticket refund() {
        return new Ticket(id, eventId, bookingId, seatId, customerId, code,
                status.moveTo(TicketStatus.REFUNDED, ENTITY, id), issuedAt, checkedInAt);
    }
}
