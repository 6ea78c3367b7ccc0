package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.RefundRequestId;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RowLock;
import org.apache.ibatis.annotations.Param;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tables {@code event_cancellation} and {@code refund_request}, and the event's rows a cancellation undoes. */
interface EventCancellationMapper {

    CancellationRow find(@Param("eventId") UUID eventId, @Param("lock") RowLock lock);

    CancellationRow lockRunningOfSession(@Param("paymentSessionId") UUID paymentSessionId);

    List<UUID> findRunning(@Param("limit") int limit);

    int insert(@Param("cancellation") EventCancellation cancellation);

    int update(@Param("cancellation") EventCancellation cancellation);

    WorkRow countWork(@Param("eventId") UUID eventId);

    /** Locks (FOR UPDATE) and returns the ids of up to {@code limit} bookings of the event not CANCELLED, in id order. */
    List<UUID> lockActiveBookings(@Param("eventId") UUID eventId, @Param("limit") int limit);

    /** The bookings, read after they were locked (so as they are now), in id order. */
    List<BookingMapper.BookingRow> findBookings(@Param("eventId") UUID eventId, @Param("ids") List<UUID> ids);

    /** Locks (FOR UPDATE) and returns the ids of up to {@code limit} OPEN or PROCESSING checkouts of the event, in id order. */
    List<UUID> lockActiveSessions(@Param("eventId") UUID eventId, @Param("limit") int limit);

    List<UUID> findActiveSessionsOfBookings(@Param("eventId") UUID eventId, @Param("ids") List<UUID> ids);

    List<UUID> findAvailableSeatIds(@Param("eventId") UUID eventId, @Param("limit") int limit);

    /** How many of the bookings were cancelled (their claims released with them). */
    int cancelBookings(@Param("eventId") UUID eventId, @Param("ids") List<UUID> ids, @Param("cancelledAt") Instant cancelledAt);

    int cancelValidTickets(@Param("eventId") UUID eventId, @Param("ids") List<UUID> ids);

    /** One row per checkout cancelled and seat it held (a checkout that held none: one row, seat null). */
    List<ReleasedHold> cancelActiveSessions(@Param("eventId") UUID eventId, @Param("ids") List<UUID> ids);

    /**
     * How many seats were blocked: {@code requested}, or 0 if one of them was BLOCKED or not of the event.
     * {@code ids} is an array literal of the seat ids, {@code {id,id,…}}.
     */
    int blockSeats(@Param("eventId") UUID eventId, @Param("ids") String ids, @Param("requested") int requested);

    /** How many were stored; a booking's second request is left out ({@code ON CONFLICT DO NOTHING}). */
    int insertRefunds(@Param("refunds") List<RefundInsert> refunds);

    List<RefundRow> findRefundsOfEvent(@Param("eventId") UUID eventId);

    /** Locks (FOR UPDATE SKIP LOCKED) and returns up to {@code limit} REQUESTED requests due at {@code now}. */
    List<DueRefundRow> lockDueRefunds(@Param("now") Instant now, @Param("limit") int limit);

    int leaseRefunds(@Param("ids") List<UUID> ids, @Param("leasedUntil") Instant leasedUntil);

    /** 1 if recorded, 0 if the request is no longer REQUESTED. */
    int recordRefundAttempt(@Param("attempt") RefundRequestPort.RefundAttempt attempt);

    RefundRow findRefundOfSession(@Param("paymentSessionId") UUID paymentSessionId, @Param("refundReference") String refundReference,
                                  @Param("lock") RowLock lock);

    RefundRow findRefundOfAnotherPayment(@Param("eventId") UUID eventId, @Param("paymentSessionId") UUID paymentSessionId,
                                         @Param("paymentReference") String paymentReference);

    /** 1 if recorded, 0 if the request was REFUNDED already. */
    int recordRefundCompleted(@Param("request") RefundRequest request, @Param("providerRefundRef") String providerRefundRef,
                              @Param("completedAt") Instant completedAt);

    record CancellationRow(UUID eventId, String reason, String requestedBy, Instant requestedAt, String state,
                           long bookingsTotal, long bookingsDone, long checkoutsTotal, long checkoutsDone,
                           long seatsTotal, long seatsDone, long refundsRequested, Instant finishedAt) {

        EventCancellation toDomain() {
            return new EventCancellation(new EventId(eventId), reason, requestedBy, requestedAt,
                    EventCancellation.State.valueOf(state), bookingsTotal, bookingsDone, checkoutsTotal, checkoutsDone,
                    seatsTotal, seatsDone, refundsRequested, finishedAt);
        }
    }

    record WorkRow(long bookings, long checkouts, long seats) {

        EventCancellation.Work toDomain() {
            return new EventCancellation.Work(bookings, checkouts, seats);
        }
    }

    record RefundRow(UUID id, UUID eventId, UUID bookingId, UUID customerId, UUID paymentSessionId, String paymentReference,
                     BigDecimal amount, String currency, String reason, String status, Instant requestedAt) {

        RefundRequest toDomain() {
            return new RefundRequest(new RefundRequestId(id), new EventId(eventId), new BookingId(bookingId),
                    new CustomerId(customerId), Optional.ofNullable(paymentSessionId).map(PaymentSessionId::new),
                    Optional.ofNullable(paymentReference), new Money(amount, Currency.getInstance(currency)), reason,
                    RefundRequest.Status.valueOf(status), requestedAt);
        }
    }

    record ReleasedHold(UUID paymentSessionId, UUID seatId) {
    }

    /** A refund request as the insert binds it. */
    record RefundInsert(UUID eventId, UUID id, UUID bookingId, UUID customerId, UUID paymentSessionId, String paymentReference,
                        BigDecimal amount, String currency, String reason, String status, String providerKey, Instant requestedAt) {

        static RefundInsert of(RefundRequest request) {
            return new RefundInsert(request.eventId().value(), request.id().value(), request.bookingId().value(),
                    request.customerId().value(), request.paymentSessionId().map(PaymentSessionId::value).orElse(null),
                    request.paymentReference().orElse(null), request.amount().amount(), request.amount().currency().getCurrencyCode(), request.reason(),
                    request.status().name(), request.providerIdempotencyKey(), request.requestedAt());
        }
    }

    /** {@code providerRef}: the payment to refund, the request's own reference or else its checkout's. */
    record DueRefundRow(UUID id, UUID eventId, UUID bookingId, UUID customerId, UUID paymentSessionId, String paymentReference,
                        BigDecimal amount, String currency, String reason, String status, Instant requestedAt,
                        int attempts, String providerRef) {

        RefundRequestPort.DueRefund toDomain() {
            RefundRow request = new RefundRow(id, eventId, bookingId, customerId, paymentSessionId, paymentReference, amount,
                    currency, reason, status, requestedAt);
            return new RefundRequestPort.DueRefund(request.toDomain(), Optional.ofNullable(providerRef), attempts);
        }
    }
}
