package io.ticketing.domain.port.in;

import io.ticketing.domain.model.PaymentSession;

import java.util.Optional;

/** A checkout, for its customer or an operator; empty for anybody else. */
public interface GetCheckoutUseCase {

    Optional<PaymentSession> getCheckout(CheckoutCommand query);
}
