package io.ticketing.domain.port.in;

import io.ticketing.domain.model.PaymentSessionId;

import java.util.List;

/** Expires one batch of OPEN checkouts past their expiry and releases their seats; safe to run in several instances at once. */
public interface ExpireCheckoutsUseCase {

    List<PaymentSessionId> expireCheckouts(ExpireCheckoutsCommand command);
}
