package io.ticketing.domain.testing.mixed;

import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.port.out.LoadCustomerPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveCustomerPort;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A third party's adapter of the customer ports only, as an embedding team writes it over its own user
 * directory: it knows nothing of the in-memory adapter that keeps everything else.
 */
final class CustomerDirectory implements LoadCustomerPort, SaveCustomerPort {

    private final Map<CustomerId, Customer> byId = new ConcurrentHashMap<>();
    private final Map<String, Customer> byEmail = new ConcurrentHashMap<>();

    @Override
    public Optional<Customer> loadCustomer(CustomerId id, RowLock lock) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<Customer> loadCustomerByEmail(String email) {
        return Optional.ofNullable(byEmail.get(Customer.accountEmail(email)));
    }

    @Override
    public synchronized Customer insertCustomerIfAbsent(Customer candidate) {
        Customer stored = byEmail.computeIfAbsent(candidate.email(), email -> candidate);
        byId.putIfAbsent(stored.id(), stored);
        return stored;
    }
}
