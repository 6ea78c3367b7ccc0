package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.BookedSeat;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.out.RowLock;
import org.apache.ibatis.annotations.Param;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** Tables {@code booking} and {@code booked_seat}. */
interface BookingMapper {

    int insert(@Param("booking") Booking booking);

    int insertSeats(@Param("booking") Booking booking, @Param("released") boolean released);

    /** Records on the session the booking it led to. */
    int linkSession(@Param("booking") Booking booking);

    /** Conditional on the stored status: 0 when it is not {@code expected}. */
    int update(@Param("booking") Booking booking, @Param("expected") BookingStatus expected);

    int releaseSeats(@Param("eventId") UUID eventId, @Param("bookingId") UUID bookingId);

    BookingRow findById(@Param("id") UUID id, @Param("lock") RowLock lock);

    BookingRow findByPaymentSession(@Param("paymentSessionId") UUID paymentSessionId);

    List<BookingRow> findOfCustomer(@Param("customerId") UUID customerId, @Param("after") UUID after, @Param("limit") int limit);

    List<BookingRow> findOfEvent(@Param("eventId") UUID eventId);

    /** The seed's getBookingSeats: the booking's seats (booked_seat JOIN seat) by section, row, number. */
    List<SeatMapper.SeatRow> findBookingSeats(@Param("bookingId") UUID bookingId);

    record BookedSeatRow(UUID seatId, BigDecimal price) {
    }

    /** {@link #seats} is filled by MyBatis (nested results, one query), ordered by seat position. */
    record BookingRow(UUID id, UUID eventId, UUID customerId, UUID paymentSessionId, BigDecimal total, String currency,
                      String status, Instant createdAt, Instant confirmedAt, Instant cancelledAt, List<BookedSeatRow> seats) {

        BookingRow(UUID id, UUID eventId, UUID customerId, UUID paymentSessionId, BigDecimal total, String currency,
                   String status, Instant createdAt, Instant confirmedAt, Instant cancelledAt) {
            this(id, eventId, customerId, paymentSessionId, total, currency, status, createdAt, confirmedAt, cancelledAt,
                    new ArrayList<>());
        }

        Booking toDomain() {
            Currency money = Currency.getInstance(currency);
            return new Booking(new BookingId(id), new EventId(eventId), new CustomerId(customerId),
                    new PaymentSessionId(paymentSessionId),
                    seats.stream().map(seat -> new BookedSeat(new SeatId(seat.seatId()), new Money(seat.price(), money))).toList(),
                    new Money(total, money), BookingStatus.valueOf(status), createdAt, confirmedAt, cancelledAt);
        }
    }
}
