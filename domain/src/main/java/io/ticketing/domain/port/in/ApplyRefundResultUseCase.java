package io.ticketing.domain.port.in;

/**
 * The provider's report that it refunded a checkout's payment, applied in one unit of work: the checkout's refund
 * request becomes REFUNDED (whatever it was: REQUESTED if the worker's record of sending it was lost, SENT, or even
 * FAILED if the provider refunded after all), and its booking's CANCELLED tickets REFUNDED. A repeat changes nothing.
 * A checkout without a refund request is not found; an amount other than the request's is refused
 * (PAYMENT_AMOUNT_MISMATCH).
 */
public interface ApplyRefundResultUseCase {

    RefundApplied applyRefundResult(ApplyRefundResultCommand command);
}
