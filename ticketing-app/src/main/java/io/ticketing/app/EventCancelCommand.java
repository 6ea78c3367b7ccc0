package io.ticketing.app;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.ContinueEventCancellationCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.FinishEventCancellationCommand;
import io.ticketing.domain.service.EventCancellationService;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code ticketing cancel-event EVENT --reason TEXT}: cancels an event and runs its cascade to the end, batch by
 * batch, here; or, for an event whose cancellation exists already (started by the API, or by a run that was
 * interrupted), continues it where the last committed batch stopped. A server's worker running the same
 * cancellation at the same time takes turns with it, batch by batch. Exit codes: 0 done, 1 failure, 2 usage.
 */
@Command(name = "cancel-event", mixinStandardHelpOptions = true,
        description = {"Cancel an event and undo everything it sold, in short batches: its open and processing checkouts "
                + "and its bookings are cancelled, each paid booking's refund requested (the refund outbox), its valid tickets "
                + "cancelled, and every seat blocked. Run again (or after a crash), it continues where it stopped.",
                "Exit code: 0 done, 1 failure, 2 usage."})
final class EventCancelCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EVENT_ID", description = "The event to cancel (its UUID).")
    String eventId;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why (at most 500 characters); required unless the event's cancellation was started before.")
    String reason;

    @Option(names = "--as", defaultValue = "${env:USER:-operator}", paramLabel = "NAME",
            description = "Who cancels; recorded as the actor (admin:NAME) in the audit log (default: ${DEFAULT-VALUE}).")
    String operator;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Bookings or checkouts per transaction (unsold seats: 8 times as many), 1 to 10000 (default: as many "
                    + "as hold each transaction's locks about 50 ms, by the time the batches before took).")
    Integer batchSize;

    @Override
    public Integer call() {
        EventId event;
        try {
            event = EventId.parse(eventId);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "'" + eventId + "' is not an event id (a UUID)");
        }
        if (batchSize != null && (batchSize < 1 || batchSize > ContinueEventCancellationCommand.MAX_BATCH_SIZE)) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be from 1 to "
                    + ContinueEventCancellationCommand.MAX_BATCH_SIZE + ", got " + batchSize);
        }
        PrintWriter out = spec.commandLine().getOut();
        Actor actor;
        try {
            // Actor takes names as stored; a name given now must show, on one line.
            actor = Actor.admin(Actor.givenName(operator, "--as"));
            if (reason != null && !reason.isBlank()) {
                EventCancellation.newReason(reason); // checked before the database is opened: a usage error
            }
        } catch (InvalidValueException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (RunDatabase db = RunDatabase.open(database)) {
            db.requireCurrentSchema();
            db.requireServable("cancel-event");
            try (ServingLease lease = ServingLease.take(db.dataSource(), "cancel-event")) {
                return cancel(db, event, actor, out, lease);
            }
        }
    }

    private int cancel(RunDatabase db, EventId event, Actor actor, PrintWriter out, ServingLease lease) {
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
        EventCancellationService cancellations = TicketingServices.wire(MyBatisTicketingAdapter.create(db.dataSource(), clock))
                .cancellations();
        Optional<EventCancellation> existing = cancellations.getEventCancellation(new EventQuery(actor, event));
        if (existing.isEmpty() && (reason == null || reason.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--reason is required to cancel event " + event);
        }
        EventCancellation progress;
        try {
            progress = existing.isPresent() ? existing.get()
                    : cancellations.cancelEvent(new CancelEventCommand(actor, event, reason));
        } catch (NotFoundException e) {
            throw new CliException("no event " + event + " in " + db.description(), null);
        }
        out.println((existing.isPresent() ? "Continuing" : "Cancelled") + " event " + event + " (" + progress.reason()
                + ", by " + progress.requestedBy() + " at " + progress.requestedAt() + ").");
        out.flush();
        progress = runToTheEnd(cancellations, actor, event, progress, lease);
        out.println("Done at " + progress.finishedAt() + ": " + progress.bookingsDone() + " bookings cancelled, "
                + progress.refundsRequested() + " refunds requested, " + progress.checkoutsDone() + " checkouts cancelled, "
                + progress.seatsDone() + " seats blocked.");
        out.flush();
        return 0;
    }

    private EventCancellation runToTheEnd(EventCancellationService cancellations, Actor actor, EventId event,
                                          EventCancellation started, ServingLease lease) {
        if (batchSize == null) {
            return whileServing(started, lease, step -> cancellations.finishEventCancellation(
                    new FinishEventCancellationCommand(actor, event), step));
        }
        ContinueEventCancellationCommand batch = new ContinueEventCancellationCommand(actor, event, batchSize);
        return whileServing(started, lease, step -> {
            EventCancellation progress = started;
            while (!progress.isDone()) {
                progress = cancellations.continueEventCancellation(batch);
                step.accept(progress);
            }
            return progress;
        });
    }

    /** Batch after batch; stops between two when this process may no longer write (a legacy import or rollback began). */
    private static EventCancellation whileServing(EventCancellation started, ServingLease lease, Batches batches) {
        return withProgress(started, step -> batches.run(progress -> {
            lease.closedBecause().ifPresent(why -> {
                throw new CliException("cancel-event stopped after a batch: " + why + "; run it again to continue", null);
            });
            step.accept(progress);
        }));
    }

    private interface Batches {
        EventCancellation run(Consumer<EventCancellation> step);
    }

    /** A progress bar on the terminal, over everything there is to undo (never when the output is not a terminal). */
    private static EventCancellation withProgress(EventCancellation started, Batches batches) {
        if (System.console() == null) {
            return batches.run(progress -> { });
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("cancelling").setInitialMax(work(started))
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            return batches.run(progress -> {
                bar.maxHint(Math.max(work(progress), 1));
                bar.stepTo(progress.bookingsDone() + progress.checkoutsDone() + progress.seatsDone());
                bar.setExtraMessage(progress.bookingsDone() + " bookings, " + progress.seatsDone() + " seats");
            });
        }
    }

    private static long work(EventCancellation progress) {
        return progress.bookingsTotal() + progress.checkoutsTotal() + progress.seatsTotal();
    }
}
