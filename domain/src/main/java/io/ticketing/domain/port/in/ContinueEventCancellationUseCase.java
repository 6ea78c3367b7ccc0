package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;

import java.util.List;
import java.util.function.Consumer;

/**
 * The cascade of a cancelled event, one short unit of work per batch: first its bookings (with the checkouts still
 * paying for them), then the checkouts left, then the unsold seats left (eight times the batch size at a time: a seat
 * writes one row where a paid booking writes some eight), until nothing is left and the cancellation is
 * DONE. Each batch records its progress with its effect, so whoever continues (the server's worker, another
 * instance, the CLI after a crash) starts where the last committed batch stopped, and nothing is undone twice.
 */
public interface ContinueEventCancellationUseCase {

    /** Runs one batch (nothing if the cancellation is DONE) and answers the progress after it. */
    EventCancellation continueEventCancellation(ContinueEventCancellationCommand command);

    /**
     * Runs batches until the cancellation is DONE, each sized to its time budget by the time the batches before it
     * held their locks per item (from the cancellation's row lock to the end of the batch's commit), and answers
     * the last progress; {@code afterBatch} sees the progress after each batch. The first batch takes 8 bookings.
     */
    EventCancellation finishEventCancellation(FinishEventCancellationCommand command, Consumer<EventCancellation> afterBatch);

    /** The events whose cancellation is still RUNNING, oldest first, at most {@code limit}. */
    List<EventId> runningEventCancellations(Actor actor, int limit);
}
