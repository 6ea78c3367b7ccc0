package io.ticketing.domain.port.in;

import io.ticketing.domain.model.PaymentSessionStatus;

/** What the payment provider reports about a checkout, and the checkout status it leads to. */
public enum PaymentResult {
    PROCESSING(PaymentSessionStatus.PROCESSING),
    SUCCEEDED(PaymentSessionStatus.SUCCEEDED),
    FAILED(PaymentSessionStatus.FAILED);

    private final PaymentSessionStatus sessionStatus;

    PaymentResult(PaymentSessionStatus sessionStatus) {
        this.sessionStatus = sessionStatus;
    }

    public PaymentSessionStatus sessionStatus() {
        return sessionStatus;
    }
}
