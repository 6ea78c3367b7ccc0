package io.ticketing.domain.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchPacerTest {

    private static final Duration BUDGET = Duration.ofMillis(50);

    @Test
    void a_batch_takes_as_many_items_as_the_budget_allows_at_the_cost_measured() {
        BatchPacer pacer = new BatchPacer(BUDGET, 8, 1000);
        pacer.record(8, Duration.ofMillis(40)); // 5 ms an item: 10 fit in 50 ms
        assertThat(pacer.size()).isEqualTo(10);
        pacer.record(10, Duration.ofMillis(50));
        assertThat(pacer.size()).isEqualTo(10);
    }

    @Test
    void a_batch_grows_at_most_twice_its_size_and_never_past_the_maximum() {
        BatchPacer pacer = new BatchPacer(BUDGET, 8, 20);
        pacer.record(8, Duration.ofMillis(1)); // 400 would fit
        assertThat(pacer.size()).isEqualTo(16);
        pacer.record(16, Duration.ofMillis(2));
        assertThat(pacer.size()).isEqualTo(20);
        pacer.record(20, Duration.ZERO);
        assertThat(pacer.size()).isEqualTo(20);
    }

    @Test
    void a_slow_batch_shrinks_the_next_by_the_running_average_but_never_below_one() {
        BatchPacer pacer = new BatchPacer(BUDGET, 10, 1000);
        pacer.record(10, Duration.ofMillis(50)); // 5 ms an item
        pacer.record(10, Duration.ofMillis(450)); // one batch at 45 ms an item: the average is 25 ms
        assertThat(pacer.size()).isEqualTo(2);
        pacer.record(2, Duration.ofSeconds(10));
        assertThat(pacer.size()).isEqualTo(1);
    }

    @Test
    void a_batch_without_items_changes_nothing() {
        BatchPacer pacer = new BatchPacer(BUDGET, 8, 1000);
        pacer.record(0, Duration.ofSeconds(1));
        assertThat(pacer.size()).isEqualTo(8);
    }

    @Test
    void a_pacer_needs_a_positive_budget_and_sizes() {
        assertThatThrownBy(() -> new BatchPacer(Duration.ZERO, 8, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchPacer(BUDGET, 0, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchPacer(BUDGET, 8, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
