package io.ticketing.migration.legacy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The import's workers: a failure of one goes up as it is, and tells the others to stop. */
class ParallelTest {

    @Test
    void an_error_in_a_worker_goes_up_as_it_is_and_stops_the_others() {
        AtomicBoolean failed = new AtomicBoolean();
        List<Parallel.Task<String>> tasks = List.of(() -> {
            throw new OutOfMemoryError("batch too large");
        }, () -> "copied");

        assertThatThrownBy(() -> Parallel.all(tasks, failed)).isInstanceOf(OutOfMemoryError.class).hasMessage("batch too large");
        assertThat(failed).isTrue();
    }
}
