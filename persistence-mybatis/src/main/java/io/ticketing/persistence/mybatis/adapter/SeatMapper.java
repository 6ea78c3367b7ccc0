package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatPosition;
import io.ticketing.domain.model.SeatStatus;
import org.apache.ibatis.annotations.Param;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** Table {@code seat}. */
interface SeatMapper {

    int insertSeats(@Param("seats") List<Seat> seats);

    /** Optimistic: 0 when the stored version differs. */
    int updatePrice(@Param("seat") Seat seat);

    List<SeatRow> findSeats(@Param("eventId") UUID eventId, @Param("ids") Collection<UUID> ids);

    List<SeatRow> findSeatsOfEvent(@Param("eventId") UUID eventId);

    /** The seed's getAvailableSeats, a keyset page: up to {@code limit} seats after the seat {@code after} (null: from the first). */
    List<SeatRow> findAvailableSeats(@Param("eventId") UUID eventId, @Param("after") UUID after, @Param("limit") int limit);

    /** The seats' transition, all or none; see the statement. One row per requested seat of the event. */
    List<SeatMove> moveSeats(@Param("eventId") UUID eventId, @Param("ids") Collection<UUID> ids, @Param("requested") int requested,
                             @Param("from") SeatStatus from, @Param("to") SeatStatus to);

    /** A locked seat: its status before, and, if it moved, the seat as it is now (the other columns; null if not). */
    record SeatMove(UUID id, String statusBefore, boolean moved, UUID eventId, String section, String row, Integer number,
                    BigDecimal price, String currency, String status, Long version) {

        Seat toDomain() {
            return new SeatRow(id, eventId, section, row, number, price, currency, status, version).toDomain();
        }
    }

    record SeatRow(UUID id, UUID eventId, String section, String row, int number, BigDecimal price,
                   String currency, String status, long version) {

        Seat toDomain() {
            return new Seat(new SeatId(id), new EventId(eventId), new SeatPosition(section, row, number),
                    new Money(price, Currency.getInstance(currency)), SeatStatus.valueOf(status), version);
        }
    }
}
