package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;

import java.util.Optional;

public interface LoadCustomerPort {

    /** With {@link RowLock#EXCLUSIVE} this serializes one customer's checkouts, so quotas are counted and used atomically. */
    Optional<Customer> loadCustomer(CustomerId id, RowLock lock);

    /** By {@code email} as accounts are kept ({@link Customer#accountEmail}). */
    Optional<Customer> loadCustomerByEmail(String email);
}
