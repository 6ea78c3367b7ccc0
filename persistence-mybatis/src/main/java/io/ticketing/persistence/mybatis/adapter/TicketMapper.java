package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketCode;
import io.ticketing.domain.model.TicketId;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.port.out.RowLock;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Table {@code ticket}. */
interface TicketMapper {

    int insertTickets(@Param("tickets") List<Ticket> tickets);

    /** Conditional on the stored status: 0 when it is not {@code expected}. */
    int update(@Param("ticket") Ticket ticket, @Param("expected") TicketStatus expected);

    TicketRow findByCode(@Param("code") String code, @Param("lock") RowLock lock);

    List<TicketRow> findOfBooking(@Param("bookingId") UUID bookingId);

    List<TicketRow> findOfEvent(@Param("eventId") UUID eventId);

    record TicketRow(UUID id, UUID eventId, UUID bookingId, UUID seatId, UUID customerId, String code, String status,
                     Instant issuedAt, Instant checkedInAt) {

        Ticket toDomain() {
            return new Ticket(new TicketId(id), new EventId(eventId), new BookingId(bookingId), new SeatId(seatId),
                    new CustomerId(customerId), new TicketCode(code), TicketStatus.valueOf(status), issuedAt, checkedInAt);
        }
    }
}
