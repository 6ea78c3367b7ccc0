package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.TicketCode;

/** Who asks for which ticket, by the code printed on it. */
public record TicketQuery(Actor requester, TicketCode code) {

    public TicketQuery {
        InvalidValueException.required(requester, "requester");
        InvalidValueException.required(code, "code");
    }
}
