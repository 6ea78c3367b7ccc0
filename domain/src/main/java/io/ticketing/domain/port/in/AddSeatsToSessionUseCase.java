package io.ticketing.domain.port.in;

import io.ticketing.domain.model.PaymentSession;

/** The seed's addSeatsToSession: holds more seats in an open checkout, all or none. */
public interface AddSeatsToSessionUseCase {

    PaymentSession addSeatsToSession(AddSeatsToSessionCommand command);
}
