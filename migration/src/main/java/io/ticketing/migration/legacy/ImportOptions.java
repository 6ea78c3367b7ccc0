package io.ticketing.migration.legacy;

import java.time.Duration;

/**
 * How the import runs. {@code currency}: the ISO 4217 code of the legacy events (the legacy
 * schema has none). {@code catchUp}: after the copy, carry over what the legacy app changed
 * meanwhile, ending with a short write lock on the legacy tables (the cut-over).
 */
public record ImportOptions(int batchSize, long throttleMs, Duration lockTimeout, int retries, String currency,
                            boolean progressBar, boolean catchUp) {

    public ImportOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (throttleMs < 0 || retries < 0) {
            throw new IllegalArgumentException("throttle and retries cannot be negative");
        }
        if (currency == null || !currency.matches("^[A-Z]{3}$")) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR, got " + currency);
        }
    }

    /**
     * Legacy rows per batch (one transaction with its checkpoint). Large enough that PostgreSQL
     * joins a batch with its parents by hashing rather than by one index lookup a row, and that the
     * per-batch costs (statistics, scans of the parents) are few: at a million seats on a stock
     * PostgreSQL 15 the import took 84 s at 200,000 and 500,000 alike, 113 s at 50,000. A crash
     * redoes at most one batch, some ten seconds of work.
     */
    public static final int DEFAULT_BATCH_SIZE = 200_000;

    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_BATCH_SIZE, 0, Duration.ofSeconds(2), 5, "EUR", false, true);
    }

    public ImportOptions withBatchSize(int size) {
        return new ImportOptions(size, throttleMs, lockTimeout, retries, currency, progressBar, catchUp);
    }

    public ImportOptions withThrottleMs(long millis) {
        return new ImportOptions(batchSize, millis, lockTimeout, retries, currency, progressBar, catchUp);
    }

    public ImportOptions withProgressBar(boolean on) {
        return new ImportOptions(batchSize, throttleMs, lockTimeout, retries, currency, on, catchUp);
    }

    public ImportOptions withCatchUp(boolean on) {
        return new ImportOptions(batchSize, throttleMs, lockTimeout, retries, currency, progressBar, on);
    }
}
