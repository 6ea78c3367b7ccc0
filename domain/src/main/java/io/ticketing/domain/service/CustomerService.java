package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.policy.Decision;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.port.in.RegisterCustomerUseCase;
import io.ticketing.domain.port.out.SaveCustomerPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;

public class CustomerService extends ServiceSupport implements RegisterCustomerUseCase {

    private final SaveCustomerPort saveCustomer;

    public CustomerService(UnitOfWorkPort unitOfWork, Clock clock, SaveCustomerPort saveCustomer) {
        super(unitOfWork, clock);
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
        return inUnitOfWork(command.actor(), () -> saveCustomer
                .insertCustomerIfAbsent(Customer.register(command.email(), command.name(), now())));
    }
}
