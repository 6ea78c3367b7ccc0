package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Customer;

import java.util.Optional;

/** Customers by unique email. */
public interface RegisterCustomerUseCase {

    /** A new customer; refused with EMAIL_TAKEN if the email is registered. */
    Customer registerCustomer(RegisterCustomerCommand command);

    /** The customer with this email, registered now if needed (idempotent, safe under concurrency). */
    Customer ensureCustomer(RegisterCustomerCommand command);

    /** The customer with this email, if registered. */
    Optional<Customer> findCustomer(String email);
}
