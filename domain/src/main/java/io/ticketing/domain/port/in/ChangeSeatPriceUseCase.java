package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Seat;

/** Reprices a seat nobody holds or bought; optimistic on the seat's version. */
public interface ChangeSeatPriceUseCase {

    Seat changeSeatPrice(ChangeSeatPriceCommand command);
}
