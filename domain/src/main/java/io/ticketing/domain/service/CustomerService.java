package io.ticketing.domain.service;

import io.ticketing.domain.model.Customer;
import io.ticketing.domain.policy.Decision;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.RegisterCustomerUseCase;
import io.ticketing.domain.port.out.TicketingPorts;

public class CustomerService extends ServiceSupport implements RegisterCustomerUseCase {

    public CustomerService(TicketingPorts ports) {
        super(ports);
    }

    @Override
    public Customer registerCustomer(RegisterCustomerCommand command) {
        return inUnitOfWork(command.actor(), () -> {
            Customer candidate = Customer.register(command.email(), command.name(), now());
            Customer stored = ports.saveCustomer().insertCustomerIfAbsent(candidate);
            Decision.allowedUnless(!stored.id().equals(candidate.id()), RejectionReason.EMAIL_TAKEN,
                    "a customer with email %s is already registered".formatted(command.email())).orThrow();
            return stored;
        });
    }

    @Override
    public Customer ensureCustomer(RegisterCustomerCommand command) {
        return inUnitOfWork(command.actor(), () -> ports.saveCustomer()
                .insertCustomerIfAbsent(Customer.register(command.email(), command.name(), now())));
    }
}
