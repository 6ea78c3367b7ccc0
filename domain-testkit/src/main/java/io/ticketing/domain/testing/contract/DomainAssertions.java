package io.ticketing.domain.testing.contract;

import io.ticketing.domain.policy.PolicyViolationException;
import io.ticketing.domain.policy.RejectionReason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions in the domain's terms. */
public final class DomainAssertions {

    private DomainAssertions() {
    }

    /** The call was refused by a policy, for this reason. */
    public static void assertRejected(ThrowingCallable call, RejectionReason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PolicyViolationException.class,
                violation -> assertThat(violation.rejection().reason()).isEqualTo(reason));
    }
}
