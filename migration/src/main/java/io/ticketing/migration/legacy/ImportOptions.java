package io.ticketing.migration.legacy;

import io.ticketing.domain.model.Money;

import java.time.Duration;
import java.util.Locale;

/**
 * How the import runs. {@code currency}: the ISO 4217 code of the legacy events (the legacy
 * schema has none). {@code catchUp}: after the copy, carry over what the legacy app changed
 * meanwhile, ending with a short write lock on the legacy tables (the cut-over). {@code workers}:
 * connections that copy at once.
 */
public record ImportOptions(int batchSize, long throttleMs, Duration lockTimeout, int retries, String currency,
                            boolean progressBar, boolean catchUp, int workers) {

    /** Each refusal names the option of `legacy import` that gives the value: the command line reports it as it is. */
    public ImportOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        if (throttleMs < 0 || throttleMs > MAX_THROTTLE_MS) {
            throw new IllegalArgumentException("--throttle-ms must be from 0 to " + MAX_THROTTLE_MS + ", got " + throttleMs);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("--retries must be from 0 to " + MAX_RETRIES + ", got " + retries);
        }
        if (lockTimeout == null || lockTimeout.toMillis() < 1 || lockTimeout.compareTo(MAX_LOCK_TIMEOUT) > 0) {
            throw new IllegalArgumentException("--lock-timeout must be from 1 ms to " + MAX_LOCK_TIMEOUT.toMinutes() + " minutes, got " + lockTimeout);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be from 1 to " + MAX_WORKERS + ", got " + workers);
        }
        // ISO 4217 codes are capitals: `eur` means EUR.
        String given = currency;
        currency = given == null ? null : given.toUpperCase(Locale.ROOT);
        if (!knownCurrency(currency)) {
            throw new IllegalArgumentException("--currency must be an ISO 4217 code of money such as EUR, got " + given);
        }
    }

    /**
     * A code {@link java.util.Currency#getInstance(String)} knows, of money ({@link Money#isMoney}): the application reads
     * every event's currency through it, and an event in any other code could not be served, nor one in gold or a fund
     * created. The new schema's own check ({@code ^[A-Z]{3}$}) lets such codes through.
     */
    static boolean knownCurrency(String code) {
        if (code == null || !code.matches("^[A-Z]{3}$")) {
            return false;
        }
        try {
            return Money.isMoney(java.util.Currency.getInstance(code));
        } catch (IllegalArgumentException e) {
            return false;
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

    /**
     * Connections that copy at once, each the rows of its share of the events (see
     * {@code ImportSession.Share}); the report's queries are shared among as many. Two: a copy
     * keeps one server core busy per connection (docs/benchmarks.md measures one against two), and
     * more would take the cores the legacy app's own transactions need.
     */
    public static final int DEFAULT_WORKERS = 2;
    public static final int MAX_WORKERS = 16;

    /**
     * The longest lock_timeout of a batch: an hour, far below PostgreSQL's own limit (INT_MAX
     * milliseconds, some 24 days); a batch waiting longer for the legacy app's locks is stuck, not slow.
     */
    public static final Duration MAX_LOCK_TIMEOUT = Duration.ofHours(1);
    /** The longest pause between batches: a minute. */
    public static final long MAX_THROTTLE_MS = 60_000;
    /** The most retries of a batch that hit the lock timeout (each waits longer than the one before). */
    public static final int MAX_RETRIES = 100;

    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_BATCH_SIZE, 0, Duration.ofSeconds(2), 5, "EUR", false, true, DEFAULT_WORKERS);
    }

    public ImportOptions withBatchSize(int size) {
        return new ImportOptions(size, throttleMs, lockTimeout, retries, currency, progressBar, catchUp, workers);
    }

    public ImportOptions withThrottleMs(long millis) {
        return new ImportOptions(batchSize, millis, lockTimeout, retries, currency, progressBar, catchUp, workers);
    }

    public ImportOptions withProgressBar(boolean on) {
        return new ImportOptions(batchSize, throttleMs, lockTimeout, retries, currency, on, catchUp, workers);
    }

    public ImportOptions withWorkers(int count) {
        return new ImportOptions(batchSize, throttleMs, lockTimeout, retries, currency, progressBar, catchUp, count);
    }

    public ImportOptions withCatchUp(boolean on) {
        return new ImportOptions(batchSize, throttleMs, lockTimeout, retries, currency, progressBar, on, workers);
    }
}
