package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;

import java.util.Currency;

/** An admin creating a DRAFT event that sells in {@code currency}. */
public record CreateEventCommand(Actor actor, EventDetails details, Currency currency) {

    public CreateEventCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(details, "details").checkAsInput();
        InvalidValueException.required(currency, "currency");
        InvalidValueException.check(Money.isMoney(currency),
                currency.getCurrencyCode() + " is not a currency of money (a precious metal, a fund or a code for testing)");
    }
}
