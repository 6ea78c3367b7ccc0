package io.ticketing.domain.port.out;

import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;

import java.time.Instant;
import java.util.Optional;

public interface LoadPaymentSessionPort {

    /** The session with all seats ever linked to it (from {@code payment_session_seat}), in the order linked. */
    Optional<PaymentSession> loadPaymentSession(PaymentSessionId id, RowLock lock);

    /**
     * Sessions of the customer that are OPEN with {@code expiresAt} after {@code now}: the checkouts the customer can
     * still finish or cancel. A PROCESSING one is the payment provider's to end; counting it would lock out a customer
     * whose provider never reports (a migrated customer's legacy pending checkouts are PROCESSING).
     */
    long countOpenPaymentSessions(CustomerId customerId, Instant now);
}
