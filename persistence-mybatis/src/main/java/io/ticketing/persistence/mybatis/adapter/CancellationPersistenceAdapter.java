package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Booking;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Event cancellations ({@code event_cancellation}) and the refund outbox ({@code refund_request}). */
final class CancellationPersistenceAdapter implements EventCancellationPort, RefundRequestPort {

    private static final String CANCELLATION = "EventCancellation";
    private static final String REFUND = "RefundRequest";

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
    public List<SeatId> loadAvailableSeatIds(EventId eventId, int limit) {
        return database.call(EventCancellationMapper.class, CANCELLATION, mapper ->
                mapper.findAvailableSeatIds(eventId.value(), limit).stream().map(SeatId::new).toList());
    }

    @Override
    public boolean insertRefundRequest(RefundRequest request) {
        return database.call(EventCancellationMapper.class, REFUND, mapper -> mapper.insertRefund(request,
                request.paymentSessionId().map(PaymentSessionId::value).orElse(null), request.providerIdempotencyKey()) == 1);
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
    public Optional<RefundRequest> loadRefundRequestOfPaymentSession(PaymentSessionId paymentSessionId, RowLock lock) {
        return database.call(EventCancellationMapper.class, REFUND, mapper ->
                Optional.ofNullable(mapper.findRefundOfSession(paymentSessionId.value(), lock))
                        .map(EventCancellationMapper.RefundRow::toDomain));
    }

    @Override
    public boolean recordRefundCompleted(RefundRequest request, String providerRefundRef, Instant completedAt) {
        return database.call(EventCancellationMapper.class, REFUND, mapper ->
                mapper.recordRefundCompleted(request, providerRefundRef, completedAt) == 1);
    }
}
