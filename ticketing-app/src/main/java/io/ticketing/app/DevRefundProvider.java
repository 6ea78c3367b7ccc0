package io.ticketing.app;

import io.ticketing.domain.port.out.RefundPaymentPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the payment provider's refunds on a local run (`serve` on the embedded database, or `--demo`),
 * beside `./ticketing dev pay` for its payments: it refunds at once, answering a refund reference, and like a real
 * provider refunds an idempotency key once (a resend is answered with the first refund). It keeps its refunds in
 * memory only, and moves no money: production needs an adapter of the real provider's refund API.
 */
final class DevRefundProvider implements RefundPaymentPort {

    private static final Logger LOG = LoggerFactory.getLogger(DevRefundProvider.class);

    private final Map<String, String> refundsByKey = new ConcurrentHashMap<>();

    @Override
    public String refund(Refund refund) {
        return refundsByKey.computeIfAbsent(refund.idempotencyKey(), key -> {
            String reference = referenceOf(key);
            LOG.info("development provider refunded {} of payment {} as {} (idempotency key {}); report it as the "
                            + "provider would with `./ticketing dev pay <the booking's paymentSessionId> --result refunded "
                            + "--amount {} --currency {}`", refund.amount(), refund.providerPaymentRef(), reference, key,
                    refund.amount().amount(), refund.amount().currency().getCurrencyCode());
            return reference;
        });
    }

    /** The same reference for the same key, on every instance and after a restart. */
    static String referenceOf(String idempotencyKey) {
        return "re_dev_" + UUID.nameUUIDFromBytes(idempotencyKey.getBytes(StandardCharsets.UTF_8));
    }
}
