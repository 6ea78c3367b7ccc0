package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What the pacer learns from a batch: the items of its size in each phase of a cancellation. */
class CancellationBatchItemsTest {

    private static final EventCancellation STARTED = EventCancellation.start(EventId.newId(), "storm", Actor.admin("ann"),
            Instant.parse("2026-12-04T10:00:00Z"), new EventCancellation.Work(40, 30, 500));

    @Test
    void a_batch_of_bookings_counts_its_bookings_not_the_checkouts_and_seats_that_went_with_them() {
        assertThat(EventCancellationService.batchItems(STARTED, STARTED.afterBatch(10, 4, 17, 6))).isEqualTo(10);
    }

    @Test
    void once_the_bookings_are_done_a_batch_counts_its_checkouts() {
        EventCancellation bookingsDone = STARTED.afterBatch(40, 0, 60, 20);
        assertThat(EventCancellationService.batchItems(bookingsDone, bookingsDone.afterBatch(0, 12, 20, 0))).isEqualTo(12);
    }

    @Test
    void then_a_batch_of_unsold_seats_counts_one_item_for_every_eight_seats_begun() {
        EventCancellation claimsDone = STARTED.afterBatch(40, 30, 100, 20);
        assertThat(EventCancellationService.batchItems(claimsDone, claimsDone.afterBatch(0, 0, 64, 0))).isEqualTo(8);
        assertThat(EventCancellationService.batchItems(claimsDone, claimsDone.afterBatch(0, 0, 65, 0))).isEqualTo(9);
        assertThat(EventCancellationService.batchItems(claimsDone, claimsDone.afterBatch(0, 0, 1, 0))).isEqualTo(1);
    }

    @Test
    void a_batch_that_found_nothing_counts_nothing() {
        assertThat(EventCancellationService.batchItems(STARTED, STARTED)).isZero();
    }
}
