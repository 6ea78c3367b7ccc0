package io.ticketing.domain.port.in;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;

import java.time.Duration;

/** An event's cancellation run to its end, each batch sized to hold its locks about {@code batchBudget}. */
public record FinishEventCancellationCommand(Actor actor, EventId eventId, Duration batchBudget) {

    /**
     * How long a batch holds its locks by default: short enough that, three times over on a busy machine, it stays
     * within 200 ms (docs/benchmarks.md, "Cancelling an event").
     */
    public static final Duration DEFAULT_BATCH_BUDGET = Duration.ofMillis(50);

    public FinishEventCancellationCommand {
        InvalidValueException.required(actor, "actor");
        InvalidValueException.required(eventId, "eventId");
        InvalidValueException.required(batchBudget, "batchBudget");
        InvalidValueException.check(batchBudget.compareTo(Duration.ofMillis(1)) >= 0 && batchBudget.compareTo(Duration.ofSeconds(10)) <= 0,
                "batchBudget must be between 1 ms and 10 s");
    }

    /** With the default budget. */
    public FinishEventCancellationCommand(Actor actor, EventId eventId) {
        this(actor, eventId, DEFAULT_BATCH_BUDGET);
    }
}
