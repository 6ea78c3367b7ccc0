package io.ticketing.domain.policy;

import io.ticketing.domain.model.InvalidValueException;

import java.time.Duration;

/** How long a checkout holds its seats, and how much one customer may hold at once. */
public record CheckoutLimits(Duration expiry, int maxSeatsPerCheckout, int maxOpenCheckoutsPerCustomer) {

    public CheckoutLimits {
        InvalidValueException.check(expiry != null && !expiry.isNegative() && !expiry.isZero(), "expiry must be positive");
        InvalidValueException.check(maxSeatsPerCheckout > 0, "maxSeatsPerCheckout must be positive");
        InvalidValueException.check(maxOpenCheckoutsPerCustomer > 0, "maxOpenCheckoutsPerCustomer must be positive");
    }

    public static CheckoutLimits defaults() {
        return new CheckoutLimits(Duration.ofMinutes(15), 10, 3);
    }

    public CheckoutLimits withExpiry(Duration otherExpiry) {
        return new CheckoutLimits(otherExpiry, maxSeatsPerCheckout, maxOpenCheckoutsPerCustomer);
    }
}
