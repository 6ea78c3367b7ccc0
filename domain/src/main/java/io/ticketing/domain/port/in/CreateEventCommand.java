package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventDetails;
import io.ticketing.domain.model.InvalidValueException;

import java.util.Currency;

/** An admin creating a DRAFT event that sells in {@code currency}. */
public record CreateEventCommand(Actor actor, EventDetails details, Currency currency) {

    public CreateEventCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(details, "details").checkAsInput();
        InvalidValueException.required(currency, "currency");
        // ISO 4217's codes of gold, of funds and for testing (XAU, XXX, XTS…) have no minor unit, and no ticket is sold in them.
        InvalidValueException.check(currency.getDefaultFractionDigits() >= 0,
                currency.getCurrencyCode() + " is not a currency of money (a precious metal, a fund or a code for testing)");
    }
}
