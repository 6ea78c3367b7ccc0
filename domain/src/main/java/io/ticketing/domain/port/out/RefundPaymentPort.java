package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Money;

import java.util.Objects;

/**
 * The payment provider's refunds: gives back money a checkout took. The refund worker calls it outside any unit of
 * work, and calls it again (after a crash, a lost answer, a retry) with the same {@code idempotencyKey}, so an
 * adapter must pass that key to the provider as its idempotency key: the provider then refunds a key once and
 * answers a repeat with the refund it made the first time.
 */
public interface RefundPaymentPort {

    /**
     * Asks the provider to refund {@code amount} of the payment {@code providerPaymentRef} (the checkout's
     * provider reference) and answers the provider's reference of the refund.
     *
     * @throws RetryLater if the provider could not be reached or answered that it cannot refund now (the worker
     *                    tries again later, with the same key)
     * @throws Refused    if the provider refused the refund for good (the worker marks it FAILED)
     */
    String refund(Refund refund);

    /** One refund to send: which payment, how much, under which idempotency key. */
    record Refund(String providerPaymentRef, Money amount, String idempotencyKey) {

        public Refund {
            Objects.requireNonNull(providerPaymentRef, "providerPaymentRef");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        }
    }

    /** The provider could not refund now (unreachable, timed out, rate limited, failing): try again later. */
    final class RetryLater extends RuntimeException {

        public RetryLater(String message, Throwable cause) {
            super(message, cause);
        }

        public RetryLater(String message) {
            super(message);
        }
    }

    /** The provider refused the refund for good (already refunded elsewhere, payment unknown to it, …). */
    final class Refused extends RuntimeException {

        public Refused(String message) {
            super(message);
        }
    }
}
