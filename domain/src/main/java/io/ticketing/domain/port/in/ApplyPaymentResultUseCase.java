package io.ticketing.domain.port.in;

/** Applies the provider's report: PROCESSING (booking PENDING, seats stay RESERVED), SUCCEEDED (booking CONFIRMED, seats BOOKED, one VALID ticket per seat) or FAILED (seats released). Repeating the result the session already has changes nothing. */
public interface ApplyPaymentResultUseCase {

    PaymentResultApplied applyPaymentResult(ApplyPaymentResultCommand command);
}
