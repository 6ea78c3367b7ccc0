package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.SeatId;

import java.util.List;

/** Adding seats to an open checkout; seats it already holds are skipped. */
public record AddSeatsToSessionCommand(Actor actor, PaymentSessionId paymentSessionId, List<SeatId> seatIds) {

    public AddSeatsToSessionCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(paymentSessionId, "paymentSessionId");
        seatIds = SeatIds.distinctNonEmpty(seatIds);
    }
}
