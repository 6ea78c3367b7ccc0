package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.policy.Decision;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.RegisterCustomerUseCase;
import io.ticketing.domain.port.out.LoadCustomerPort;
import io.ticketing.domain.port.out.SaveCustomerPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

public class CustomerService extends ServiceSupport implements RegisterCustomerUseCase {

    private final LoadCustomerPort loadCustomer;
    private final SaveCustomerPort saveCustomer;

    public CustomerService(UnitOfWorkPort unitOfWork, Clock clock, LoadCustomerPort loadCustomer, SaveCustomerPort saveCustomer) {
        super(unitOfWork, clock);
        this.loadCustomer = Objects.requireNonNull(loadCustomer, "loadCustomer");
        this.saveCustomer = Objects.requireNonNull(saveCustomer, "saveCustomer");
    }

    @Override
    public Customer registerCustomer(RegisterCustomerCommand command) {
        InvalidValueException.required(command, "command");
        return inUnitOfWork(command.actor(), () -> {
            Customer candidate = Customer.register(command.email(), command.name(), now());
            Customer stored = saveCustomer.insertCustomerIfAbsent(candidate);
            Decision.allowedUnless(!stored.id().equals(candidate.id()), RejectionReason.EMAIL_TAKEN,
                    "a customer with email %s is already registered".formatted(command.email())).orThrow();
            return stored;
        });
    }

    @Override
    public Customer ensureCustomer(RegisterCustomerCommand command) {
        InvalidValueException.required(command, "command");
        // Looked up first: a known customer costs one read and no write.
        return inUnitOfWork(command.actor(), () -> loadCustomer.loadCustomerByEmail(Customer.accountEmail(command.email()))
                .orElseGet(() -> saveCustomer.insertCustomerIfAbsent(Customer.register(command.email(), command.name(), now()))));
    }

    @Override
    public Optional<Customer> findCustomer(String email) {
        InvalidValueException.requiredText(email, "email");
        return inUnitOfWork(Actor.system("api"), () -> loadCustomer.loadCustomerByEmail(Customer.accountEmail(email)));
    }
}
