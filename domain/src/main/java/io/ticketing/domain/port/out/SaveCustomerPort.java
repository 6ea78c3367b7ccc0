package io.ticketing.domain.port.out;

import io.ticketing.domain.model.Customer;

public interface SaveCustomerPort {

    /**
     * Stores the candidate unless a customer with its email exists, and returns the stored customer with
     * that email: the candidate, or the existing one. Atomic ({@code INSERT … ON CONFLICT (email) DO NOTHING}).
     */
    Customer insertCustomerIfAbsent(Customer candidate);
}
