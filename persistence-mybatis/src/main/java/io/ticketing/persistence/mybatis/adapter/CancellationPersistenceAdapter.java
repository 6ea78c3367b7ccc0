package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.Uuids;
import io.ticketing.domain.port.out.EventCancellationPort;
import io.ticketing.domain.port.out.RefundRequestPort;
import io.ticketing.domain.port.out.RowLock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;

/** Event cancellations ({@code event_cancellation}) and the refund outbox ({@code refund_request}). */
final class CancellationPersistenceAdapter implements EventCancellationPort, RefundRequestPort {

    private static final String CANCELLATION = "EventCancellation";
    private static final String REFUND = "RefundRequest";
    /** Rows per statement of a batch's steps (a refund request binds 11 parameters). */
    private static final int CHUNK = 1000;

    private final Database database;

    CancellationPersistenceAdapter(Database database) {
        this.database = database;
    }

    @Override
    public Optional<EventCancellation> loadEventCancellation(EventId eventId, RowLock lock) {
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper ->
                Optional.ofNullable(mapper.find(eventId.value(), lock)).map(EventCancellationMapper.CancellationRow::toDomain));
    }

    @Override
    public Optional<EventCancellation> lockRunningEventCancellationOfPaymentSession(PaymentSessionId paymentSessionId) {
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper ->
                Optional.ofNullable(mapper.lockRunningOfSession(paymentSessionId.value()))
                        .map(EventCancellationMapper.CancellationRow::toDomain));
    }

    @Override
    public List<EventId> loadRunningEventCancellations(int limit) {
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper ->
                mapper.findRunning(limit).stream().map(EventId::new).toList());
    }

    @Override
    public void insertEventCancellation(EventCancellation cancellation) {
        database.call(EventCancellationMapper.class, CANCELLATION, mapper -> mapper.insert(cancellation));
    }

    @Override
    public void updateEventCancellation(EventCancellation changed) {
        database.call(EventCancellationMapper.class, CANCELLATION, mapper -> {
            Database.updatedOrStale(mapper.update(changed), CANCELLATION, changed.eventId(), "existence");
            return null;
        });
    }

    @Override
    public EventCancellation.Work countCancellationWork(EventId eventId) {
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper -> mapper.countWork(eventId.value()).toDomain());
    }

    @Override
    public List<Booking> loadActiveBookingsOfEvent(EventId eventId, int limit) {
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper -> {
            List<UUID> locked = mapper.lockActiveBookings(eventId.value(), limit);
            if (locked.isEmpty()) {
                return List.of();
            }
            return mapper.findBookings(eventId.value(), locked).stream().map(BookingMapper.BookingRow::toDomain).toList();
        });
    }

    @Override
    public List<PaymentSession> loadActivePaymentSessionsOfEvent(EventId eventId, int limit) {
        List<UUID> locked = database.call(EventCancellationMapper.class, CANCELLATION, mapper ->
                mapper.lockActiveSessions(eventId.value(), limit));
        if (locked.isEmpty()) {
            return List.of();
        }
        return database.call(PaymentSessionMapper.class, CANCELLATION, mapper -> mapper.findByIds(locked).stream()
                .map(PaymentSessionMapper.SessionRow::toDomain)
                .sorted(Comparator.comparing(session -> session.id().value(), Uuids.DATABASE_ORDER))
                .toList());
    }

    @Override
    public List<PaymentSessionId> loadActivePaymentSessionIdsOfBookings(EventId eventId, Collection<BookingId> bookingIds) {
        List<PaymentSessionId> found = new ArrayList<>();
        for (List<UUID> ids : chunks(bookingIds.stream().map(BookingId::value).distinct().toList())) {
            database.call(EventCancellationMapper.class, CANCELLATION, mapper -> mapper.findActiveSessionsOfBookings(eventId.value(), ids))
                    .forEach(id -> found.add(new PaymentSessionId(id)));
        }
        return found;
    }

    @Override
    public List<SeatId> loadAvailableSeatIds(EventId eventId, int limit) {
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper ->
                mapper.findAvailableSeatIds(eventId.value(), limit).stream().map(SeatId::new).toList());
    }

    @Override
    public int cancelBookings(EventId eventId, Collection<BookingId> bookingIds, Instant cancelledAt) {
        return sum(bookingIds.stream().map(BookingId::value).distinct().toList(), ids ->
                database.call(EventCancellationMapper.class, CANCELLATION, mapper -> mapper.cancelBookings(eventId.value(), ids, cancelledAt)));
    }

    @Override
    public int cancelValidTicketsOfBookings(EventId eventId, Collection<BookingId> bookingIds) {
        return sum(bookingIds.stream().map(BookingId::value).distinct().toList(), ids ->
                database.call(EventCancellationMapper.class, CANCELLATION, mapper -> mapper.cancelValidTickets(eventId.value(), ids)));
    }

    @Override
    public CancelledCheckouts cancelActivePaymentSessions(EventId eventId, Collection<PaymentSessionId> paymentSessionIds) {
        Set<UUID> cancelled = new HashSet<>();
        Set<SeatId> released = new LinkedHashSet<>();
        for (List<UUID> ids : chunks(paymentSessionIds.stream().map(PaymentSessionId::value).distinct().toList())) {
            for (EventCancellationMapper.ReleasedHold hold : database.call(EventCancellationMapper.class, CANCELLATION,
                    mapper -> mapper.cancelActiveSessions(eventId.value(), ids))) {
                cancelled.add(hold.paymentSessionId());
                if (hold.seatId() != null) {
                    released.add(new SeatId(hold.seatId()));
                }
            }
        }
        return new CancelledCheckouts(cancelled.size(), released);
    }

    /** One statement, since all or none needs every seat in it: the ids as one array parameter. */
    @Override
    public int blockSeats(EventId eventId, Collection<SeatId> seatIds) {
        List<String> ids = seatIds.stream().map(seat -> seat.value().toString()).distinct().toList();
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper ->
                mapper.blockSeats(eventId.value(), "{" + String.join(",", ids) + "}", ids.size()));
    }

    @Override
    public int insertRefundRequests(List<RefundRequest> requests) {
        return sum(requests.stream().map(EventCancellationMapper.RefundInsert::of).toList(), rows ->
                database.call(EventCancellationMapper.class, REFUND, mapper -> mapper.insertRefunds(rows)));
    }

    @Override
    public List<RefundRequest> loadRefundRequestsOfEvent(EventId eventId) {
        return database.call(EventCancellationMapper.class, REFUND, mapper ->
                mapper.findRefundsOfEvent(eventId.value()).stream().map(EventCancellationMapper.RefundRow::toDomain).toList());
    }

    @Override
    public List<DueRefund> claimDueRefundRequests(Instant now, Instant leasedUntil, int limit) {
        return database.call(EventCancellationMapper.class, REFUND, mapper -> {
            List<DueRefund> due = mapper.lockDueRefunds(now, limit).stream()
                    .map(EventCancellationMapper.DueRefundRow::toDomain).toList();
            if (!due.isEmpty()) {
                mapper.leaseRefunds(due.stream().map(refund -> refund.request().id().value()).toList(), leasedUntil);
            }
            return due;
        });
    }

    @Override
    public boolean recordRefundAttempt(RefundAttempt attempt) {
        return database.call(EventCancellationMapper.class, REFUND, mapper -> mapper.recordRefundAttempt(attempt) == 1);
    }

    @Override
    public Optional<RefundRequest> loadRefundRequestOfPaymentSession(PaymentSessionId paymentSessionId, String refundReference,
                                                                     RowLock lock) {
        return database.call(EventCancellationMapper.class, REFUND, mapper ->
                Optional.ofNullable(mapper.findRefundOfSession(paymentSessionId.value(), refundReference, lock))
                        .map(EventCancellationMapper.RefundRow::toDomain));
    }

    @Override
    public Optional<RefundRequest> loadRefundRequestOfAnotherPayment(EventId eventId, PaymentSessionId paymentSessionId,
                                                                     String paymentReference) {
        return database.call(EventCancellationMapper.class, REFUND, mapper ->
                Optional.ofNullable(mapper.findRefundOfAnotherPayment(eventId.value(), paymentSessionId.value(), paymentReference))
                        .map(EventCancellationMapper.RefundRow::toDomain));
    }

    @Override
    public boolean recordRefundCompleted(RefundRequest request, String providerRefundRef, Instant completedAt) {
        return database.call(EventCancellationMapper.class, REFUND, mapper ->
                mapper.recordRefundCompleted(request, providerRefundRef, completedAt) == 1);
    }

    /** Statements over at most {@link #CHUNK} rows each, well within the 32,767 parameters of one statement. */
    private static <T> List<List<T>> chunks(List<T> rows) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            chunks.add(rows.subList(from, Math.min(rows.size(), from + CHUNK)));
        }
        return chunks;
    }

    private static <T> int sum(List<T> rows, ToIntFunction<List<T>> statement) {
        return chunks(rows).stream().mapToInt(statement).sum();
    }
}
