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
import java.util.Optional;
import java.util.UUID;

/** Tables {@code booking} and {@code booked_seat}. */
interface BookingMapper {

    /**
     * The booking with its seats and, if it has a checkout ({@code paymentSessionId} not null), the checkout's link
     * to it; {@code reviewReason} null for nothing to review, {@code released} for a cancelled booking's seats.
     */
    default int insert(Booking booking, UUID paymentSessionId, String reviewReason, boolean released) {
        return insertRows(booking, paymentSessionId, reviewReason, released,
                booking.seats().stream().map(seat -> seat.seatId().value()).toList(),
                booking.seats().stream().map(seat -> seat.price().amount()).toList());
    }

    /** {@link #insert}, the seats column by column. */
    int insertRows(@Param("booking") Booking booking, @Param("paymentSessionId") UUID paymentSessionId,
                   @Param("reviewReason") String reviewReason, @Param("released") boolean released,
                   @Param("seatIds") List<UUID> seatIds, @Param("prices") List<BigDecimal> prices);

    /** Conditional on the stored status: 0 when it is not {@code expected}. */
    int update(@Param("booking") Booking booking, @Param("expected") BookingStatus expected, @Param("reviewReason") String reviewReason);

    int releaseSeats(@Param("eventId") UUID eventId, @Param("bookingId") UUID bookingId);

    BookingRow findById(@Param("id") UUID id, @Param("lock") RowLock lock);

    BookingRow findByPaymentSession(@Param("paymentSessionId") UUID paymentSessionId);

    List<BookingRow> findOfCustomer(@Param("customerId") UUID customerId, @Param("after") UUID after, @Param("limit") int limit);

    List<BookingRow> findOfEvent(@Param("eventId") UUID eventId);

    /** Keyset page of the bookings marked for review, by (created_at, id) (partial index booking_review_idx). */
    List<BookingRow> findToReview(@Param("after") UUID after, @Param("limit") int limit);

    /** The seed's getBookingSeats: the booking's seats (booked_seat JOIN seat) by section, row, number. */
    List<SeatMapper.SeatRow> findBookingSeats(@Param("bookingId") UUID bookingId);

    record BookedSeatRow(UUID seatId, BigDecimal price) {
    }

    /** {@link #seats} is filled by MyBatis (nested results, one query), ordered by seat position. */
    /** {@code paymentSessionId} is null for a booking without a checkout of its own (a migrated one). */
    record BookingRow(UUID id, UUID eventId, UUID customerId, UUID paymentSessionId, BigDecimal total, String currency,
                      String status, Instant createdAt, Instant confirmedAt, Instant cancelledAt, String reviewReason,
                      List<BookedSeatRow> seats) {

        BookingRow(UUID id, UUID eventId, UUID customerId, UUID paymentSessionId, BigDecimal total, String currency,
                   String status, Instant createdAt, Instant confirmedAt, Instant cancelledAt, String reviewReason) {
            this(id, eventId, customerId, paymentSessionId, total, currency, status, createdAt, confirmedAt, cancelledAt,
                    reviewReason, new ArrayList<>());
        }

        Booking toDomain() {
            Currency money = Currency.getInstance(currency);
            return new Booking(new BookingId(id), new EventId(eventId), new CustomerId(customerId),
                    Optional.ofNullable(paymentSessionId).map(PaymentSessionId::new),
                    seats.stream().map(seat -> new BookedSeat(new SeatId(seat.seatId()), new Money(seat.price(), money))).toList(),
                    new Money(total, money), BookingStatus.valueOf(status), createdAt, confirmedAt, cancelledAt,
                    Optional.ofNullable(reviewReason));
        }
    }
}
