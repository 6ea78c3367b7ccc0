package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.policy.RejectionReason;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import org.junit.jupiter.api.Test;

import static io.ticketing.domain.testing.contract.DomainAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomerServiceTest extends UseCaseTestSupport {

    @Test
    void registering_stores_the_customer_with_a_normalized_email() {
        Customer ann = services.customers().registerCustomer(new RegisterCustomerCommand(Actor.anonymous(), " Ann@Example.org", "Ann"));

        assertThat(ann.email()).isEqualTo("ann@example.org");
        assertThat(ports.loadCustomer().loadCustomerByEmail("ANN@example.org")).contains(ann);
    }

    @Test
    void a_taken_email_is_refused_on_registration_but_returned_when_ensured() {
        Customer ann = services.customers().registerCustomer(new RegisterCustomerCommand(Actor.anonymous(), "ann@example.org", "Ann"));

        assertRejected(() -> services.customers().registerCustomer(new RegisterCustomerCommand(Actor.anonymous(),
                "ann@example.org", "Other Ann")), RejectionReason.EMAIL_TAKEN);
        assertThat(services.customers().ensureCustomer(new RegisterCustomerCommand(Actor.anonymous(),
                "ann@example.org", "Other Ann"))).isEqualTo(ann);
    }

    @Test
    void an_invalid_email_never_reaches_the_storage() {
        // A command may name one (a migrated customer's address is looked up as stored); no new customer is made of it.
        RegisterCustomerCommand command = new RegisterCustomerCommand(Actor.anonymous(), "ann.example.org", "Ann");

        assertThatThrownBy(() -> services.customers().registerCustomer(command))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("not an email address");
        assertThatThrownBy(() -> services.customers().ensureCustomer(command))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("not an email address");
        assertThat(ports.loadCustomer().loadCustomerByEmail("ann.example.org")).isEmpty();
    }
}
