package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.out.ClaimExpiredPaymentSessionsPort;
import io.ticketing.domain.port.out.LoadPaymentSessionPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SavePaymentSessionPort;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Checkouts ({@code payment_session}) and the seats they hold ({@code payment_session_seat}). */
final class CheckoutPersistenceAdapter implements LoadPaymentSessionPort, SavePaymentSessionPort,
        ClaimExpiredPaymentSessionsPort {

    private static final String SESSION = "PaymentSession";

    private final Database database;

    CheckoutPersistenceAdapter(Database database) {
        this.database = database;
    }

    @Override
    public Optional<PaymentSession> loadPaymentSession(PaymentSessionId id, RowLock lock) {
        return database.call(PaymentSessionMapper.class, SESSION, mapper -> {
            if (lock != RowLock.NONE && mapper.lockById(id.value(), lock) == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(mapper.findById(id.value())).map(PaymentSessionMapper.SessionRow::toDomain);
        });
    }

    @Override
    public long countOpenPaymentSessions(CustomerId customerId, Instant now) {
        return database.call(PaymentSessionMapper.class, SESSION, mapper -> mapper.countOpen(customerId.value(), now));
    }

    @Override
    public void insertPaymentSession(PaymentSession session) {
        database.call(PaymentSessionMapper.class, SESSION, mapper -> mapper.insert(session));
    }

    @Override
    public void updatePaymentSession(PaymentSession changed, PaymentSessionStatus expectedStatus) {
        database.call(PaymentSessionMapper.class, SESSION, mapper -> {
            Database.updatedOrStale(mapper.update(changed, expectedStatus), SESSION, changed.id(), "status " + expectedStatus);
            // Seats are added only while a checkout is open; a repeated link is skipped.
            if (changed.status() == PaymentSessionStatus.OPEN && !changed.seatIds().isEmpty()) {
                mapper.linkSeats(changed.eventId().value(), changed.id().value(),
                        changed.seatIds().stream().distinct().map(SeatId::value).toList());
            }
            return null;
        });
    }

    @Override
    public List<PaymentSession> claimExpiredOpenSessions(Instant now, int limit, Set<PaymentSessionId> skipping) {
        List<UUID> skip = skipping.stream().map(PaymentSessionId::value).toList();
        return database.call(PaymentSessionMapper.class, SESSION, mapper -> {
            List<UUID> claimed = mapper.claimExpiredOpen(now, limit, skip);
            if (claimed.isEmpty()) {
                return List.of();
            }
            return mapper.findByIds(claimed).stream().map(PaymentSessionMapper.SessionRow::toDomain).toList();
        });
    }
}
