package io.ticketing.domain.model;

/**
 * The sales view has no rows to answer from yet: it was never refreshed since it was emptied ({@code REFRESH
 * MATERIALIZED VIEW … WITH NO DATA}, a restore without its data). The storage's state, not the request's fault nor
 * a refusal of the domain, so not a {@link DomainException}; a refresh of the view makes the same read work.
 */
public final class AnalyticsNotReadyException extends RuntimeException {

    public AnalyticsNotReadyException(String message) {
        super(message);
    }
}
