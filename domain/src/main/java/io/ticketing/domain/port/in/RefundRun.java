package io.ticketing.domain.port.in;

/**
 * What a batch of the refund worker did: requests claimed, and of those sent, left to retry, and FAILED; the rest
 * were left unsent when the batch's lease ran short, and are claimed again once it runs out.
 */
public record RefundRun(int claimed, int sent, int retrying, int failed) {
}
