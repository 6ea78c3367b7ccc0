package io.ticketing.domain.port.in;

import io.ticketing.domain.model.PaymentSessionId;

import java.util.List;
import java.util.Map;

/**
 * What one sweep did: the checkouts it expired, and those it could not expire, each with why (a row that
 * breaks the storage's rules, for one). A failed checkout is left out of the sweeps for
 * {@code ExpireCheckoutsUseCase.RETRY_FAILED_AFTER} and then tried again; the others are not held up by it.
 */
public record ExpiryRun(List<PaymentSessionId> expired, Map<PaymentSessionId, String> failed) {

    public ExpiryRun {
        expired = List.copyOf(expired);
        failed = Map.copyOf(failed);
    }
}
