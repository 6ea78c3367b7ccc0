package io.ticketing.domain.port.out;

import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionStatus;

public interface SavePaymentSessionPort {

    /** Stores a new session and links its seats. */
    void insertPaymentSession(PaymentSession session);

    /**
     * Stores status, amount, provider reference and expiry, and links seats not linked yet (the seed's
     * {@code createMany(skipDuplicates)}), only if the stored status is still {@code expectedStatus}.
     * Once the status no longer {@link PaymentSessionStatus#holdsSeats() holds seats}, its seat links stop
     * counting as active claims (the partial unique index on {@code payment_session_seat}).
     *
     * @throws io.ticketing.domain.model.ConcurrentChangeException if the stored status differs
     */
    void updatePaymentSession(PaymentSession changed, PaymentSessionStatus expectedStatus);
}
