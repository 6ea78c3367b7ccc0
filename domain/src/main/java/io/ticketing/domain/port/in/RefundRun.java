package io.ticketing.domain.port.in;

/** What a batch of the refund worker did: requests claimed, and of those sent, left to retry, and FAILED. */
public record RefundRun(int claimed, int sent, int retrying, int failed) {
}
