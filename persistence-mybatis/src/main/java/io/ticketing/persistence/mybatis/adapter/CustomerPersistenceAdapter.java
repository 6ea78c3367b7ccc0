package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.port.out.LoadCustomerPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveCustomerPort;

import java.util.Optional;

/** Customers, unique by (lower-case) email. */
final class CustomerPersistenceAdapter implements LoadCustomerPort, SaveCustomerPort {

    private static final String CUSTOMER = "Customer";

    private final Database database;

    CustomerPersistenceAdapter(Database database) {
        this.database = database;
    }

    @Override
    public Optional<Customer> loadCustomer(CustomerId id, RowLock lock) {
        return database.call(CustomerMapper.class, CUSTOMER, mapper ->
                Optional.ofNullable(mapper.findById(id.value(), lock)).map(CustomerMapper.CustomerRow::toDomain));
    }

    @Override
    public Optional<Customer> loadCustomerByEmail(String email) {
        String normalized = Customer.accountEmail(email);
        return database.call(CustomerMapper.class, CUSTOMER, mapper ->
                Optional.ofNullable(mapper.findByEmail(normalized)).map(CustomerMapper.CustomerRow::toDomain));
    }

    /**
     * {@code INSERT … ON CONFLICT (email) DO NOTHING}, then the stored row: a concurrent insert of the same
     * email waits for the other transaction and then reads its committed row (a new snapshot per statement).
     */
    @Override
    public Customer insertCustomerIfAbsent(Customer candidate) {
        return database.call(CustomerMapper.class, CUSTOMER, mapper -> {
            if (mapper.insertIfAbsent(candidate) == 1) {
                return candidate;
            }
            CustomerMapper.CustomerRow stored = mapper.findByEmail(candidate.email());
            if (stored == null) {
                throw new IllegalStateException("customer email conflicted but no customer has it; try again");
            }
            return stored.toDomain();
        });
    }
}
