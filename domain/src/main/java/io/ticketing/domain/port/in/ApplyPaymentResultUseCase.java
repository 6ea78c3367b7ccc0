package io.ticketing.domain.port.in;

/** Applies the provider's report: PROCESSING (booking PENDING, seats stay RESERVED), SUCCEEDED (booking CONFIRMED, seats BOOKED, one VALID ticket per seat) or FAILED (seats released). Repeating the result the session already has changes nothing.
 * A success of another amount than the session's (in its currency), or under another payment reference once the session
 * took its payment, confirms nothing: that money is refunded under a cancelled booking of its own. */
public interface ApplyPaymentResultUseCase {

    PaymentResultApplied applyPaymentResult(ApplyPaymentResultCommand command);
}
