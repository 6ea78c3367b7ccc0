package io.ticketing.domain.port.in;

import io.ticketing.domain.model.PaymentSession;

/** OPEN → CANCELLED, releasing its seats. */
public interface CancelCheckoutUseCase {

    PaymentSession cancelCheckout(CheckoutCommand command);
}
