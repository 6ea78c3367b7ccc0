package io.ticketing.domain.port.in;

import io.ticketing.domain.model.PaymentSession;

/** Holds the seats (AVAILABLE → RESERVED, all or none) in a new OPEN checkout that expires after the configured time. */
public interface OpenCheckoutUseCase {

    PaymentSession openCheckout(OpenCheckoutCommand command);
}
