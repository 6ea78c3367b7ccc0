package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.InvalidValueException;

/** Registering a customer by email (normalized to lower case). */
public record RegisterCustomerCommand(Actor actor, String email, String name) {

    public RegisterCustomerCommand {
        InvalidValueException.required(actor, "actor");
        email = Customer.accountEmail(email);
        name = InvalidValueException.requiredText(name, "name");
    }
}
