package io.ticketing.domain.testing.contract;

import io.ticketing.domain.port.out.RefundPaymentPort;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A payment provider's refunds as real providers behave: one refund per idempotency key, a repeat answered with the
 * refund made the first time. It counts every call per key, and can be told to fail the next calls.
 */
public final class RecordingRefundProvider implements RefundPaymentPort {

    private final Map<String, String> refundsByKey = new ConcurrentHashMap<>();
    private final Map<String, Integer> callsByKey = new ConcurrentHashMap<>();
    private final List<Refund> refunded = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Refund, RuntimeException> failing = refund -> null;

    /** Every next call fails with what {@code failure} answers for it (nothing: the call refunds). */
    public void failWith(Function<Refund, RuntimeException> failure) {
        this.failing = failure;
    }

    public void succeed() {
        this.failing = refund -> null;
    }

    @Override
    public String refund(Refund refund) {
        callsByKey.merge(refund.idempotencyKey(), 1, Integer::sum);
        RuntimeException failure = failing.apply(refund);
        if (failure != null) {
            throw failure;
        }
        return refundsByKey.computeIfAbsent(refund.idempotencyKey(), key -> {
            refunded.add(refund);
            return "re_" + key;
        });
    }

    /** Calls per idempotency key, failed ones included. */
    public Map<String, Integer> callsByKey() {
        return Map.copyOf(callsByKey);
    }

    /** The refunds actually made, one per key. */
    public List<Refund> refunded() {
        return List.copyOf(refunded);
    }
}
