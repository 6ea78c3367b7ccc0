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
import java.util.function.Function;

/** Table {@code ticket}. */
interface TicketMapper {

    default int insertTickets(List<Ticket> tickets) {
        return insertTicketRows(column(tickets, t -> t.eventId().value()), column(tickets, t -> t.id().value()),
                column(tickets, t -> t.bookingId().value()), column(tickets, t -> t.seatId().value()),
                column(tickets, t -> t.customerId().value()), column(tickets, t -> t.code().value()),
                column(tickets, Ticket::status), column(tickets, Ticket::checkedInAt), column(tickets, Ticket::issuedAt));
    }

    /** {@link #insertTickets}, column by column: row k from the k-th element of each. */
    int insertTicketRows(@Param("eventIds") List<UUID> eventIds, @Param("ids") List<UUID> ids, @Param("bookingIds") List<UUID> bookingIds,
                      @Param("seatIds") List<UUID> seatIds, @Param("customerIds") List<UUID> customerIds,
                      @Param("codes") List<String> codes, @Param("statuses") List<TicketStatus> statuses,
                      @Param("checkedInAt") List<Instant> checkedInAt, @Param("createdAt") List<Instant> createdAt);

    private static <T> List<T> column(List<Ticket> tickets, Function<Ticket, T> value) {
        return tickets.stream().map(value).toList(); // keeps nulls: checked_in_at of a ticket not used yet
    }

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
