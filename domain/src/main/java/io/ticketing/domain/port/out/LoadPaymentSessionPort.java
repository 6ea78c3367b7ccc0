package io.ticketing.domain.port.out;

import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;

import java.time.Instant;
import java.util.Optional;

public interface LoadPaymentSessionPort {

    /** The session with all seats ever linked to it (from {@code payment_session_seat}), in the order linked. */
    Optional<PaymentSession> loadPaymentSession(PaymentSessionId id, RowLock lock);

    /** Sessions of the customer that are PROCESSING, or OPEN with {@code expiresAt} after {@code now}. */
    long countActivePaymentSessions(CustomerId customerId, Instant now);
}
