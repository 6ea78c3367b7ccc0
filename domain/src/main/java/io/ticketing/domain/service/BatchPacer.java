package io.ticketing.domain.service;

import java.time.Duration;

/**
 * Sizes a cascade's batches to a time budget: each batch takes as many items as the budget allows at the cost
 * per item the recent batches showed (a running average that gives the newest batch half the weight, so the size
 * follows a machine that slows down within a batch or two), at most twice the last size and at least one. A batch's locks are held as long as its transaction runs,
 * so the budget bounds the locks the cascade holds on this machine under this load, which no fixed size can.
 */
final class BatchPacer {

    private final long budgetNanos;
    private final int max;
    private int size;
    private double nanosPerItem = Double.NaN;

    BatchPacer(Duration budget, int first, int max) {
        if (budget.isNegative() || budget.isZero() || first < 1 || max < first) {
            throw new IllegalArgumentException("budget " + budget + ", first " + first + ", max " + max);
        }
        this.budgetNanos = budget.toNanos();
        this.max = max;
        this.size = first;
    }

    /** The number of items the next batch takes. */
    int size() {
        return size;
    }

    /** A batch did {@code items} items in {@code took}; a batch that did none (the cascade moved on) teaches nothing. */
    void record(int items, Duration took) {
        if (items <= 0) {
            return;
        }
        double cost = Math.max(0, took.toNanos()) / (double) items;
        nanosPerItem = Double.isNaN(nanosPerItem) ? cost : (nanosPerItem + cost) / 2;
        long fits = nanosPerItem == 0 ? max : (long) (budgetNanos / nanosPerItem);
        size = (int) Math.max(1, Math.min(Math.min(fits, max), 2L * size));
    }
}
