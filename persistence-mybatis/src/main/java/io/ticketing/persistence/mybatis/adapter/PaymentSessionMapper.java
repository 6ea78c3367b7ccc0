package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.out.RowLock;
import org.apache.ibatis.annotations.Param;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** Tables {@code payment_session} and {@code payment_session_seat}. */
interface PaymentSessionMapper {

    default int insert(PaymentSession session) {
        return insertRows(session, session.seatIds().stream().map(SeatId::value).toList());
    }

    /** {@link #insert}, the seats' ids apart (in their order). */
    int insertRows(@Param("session") PaymentSession session, @Param("seatIds") List<UUID> seatIds);

    /** Conditional on the stored status: 0 when it is not {@code expected}. A session that no longer holds seats releases them. */
    default int update(PaymentSession session, PaymentSessionStatus expected) {
        return updateRow(session, expected, !session.status().holdsSeats());
    }

    /** {@link #update}, with whether its seats' claims end. */
    int updateRow(@Param("session") PaymentSession session, @Param("expected") PaymentSessionStatus expected,
                  @Param("releaseSeats") boolean releaseSeats);

    /**
     * The seed's addSeatsToSession ({@code createMany(skipDuplicates)}): links the seats not linked yet, in the
     * given order. Only a repeat of the same link is skipped; a seat actively claimed by another session
     * still violates the partial unique index.
     */
    int linkSeats(@Param("eventId") UUID eventId, @Param("sessionId") UUID sessionId, @Param("seatIds") List<UUID> seatIds);

    /** Locks the session (a statement of its own, so that a read after it sees what committed while it waited). */
    UUID lockById(@Param("id") UUID id, @Param("lock") RowLock lock);

    SessionRow findById(@Param("id") UUID id);

    List<SessionRow> findByIds(@Param("ids") List<UUID> ids);

    long countOpen(@Param("customerId") UUID customerId, @Param("now") Instant now);

    /** {@code FOR UPDATE SKIP LOCKED}: concurrent sweepers claim disjoint batches. */
    List<UUID> claimExpiredOpen(@Param("now") Instant now, @Param("limit") int limit, @Param("skipping") List<UUID> skipping);

    /** Seats are linked in order; {@link #seatIds} is filled by MyBatis (nested results, one query). */
    record SessionRow(UUID id, UUID eventId, UUID customerId, BigDecimal amount, String currency, String status,
                      Instant createdAt, Instant expiresAt, String providerRef, List<UUID> seatIds) {

        SessionRow(UUID id, UUID eventId, UUID customerId, BigDecimal amount, String currency, String status,
                   Instant createdAt, Instant expiresAt, String providerRef) {
            this(id, eventId, customerId, amount, currency, status, createdAt, expiresAt, providerRef, new ArrayList<>());
        }

        PaymentSession toDomain() {
            return new PaymentSession(new PaymentSessionId(id), new EventId(eventId), new CustomerId(customerId),
                    seatIds.stream().map(SeatId::new).toList(), new Money(amount, Currency.getInstance(currency)),
                    PaymentSessionStatus.valueOf(status), createdAt, expiresAt, providerRef);
        }
    }
}
