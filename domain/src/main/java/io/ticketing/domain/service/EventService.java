package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidCursorException;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.policy.Policy;
import io.ticketing.domain.policy.EventChangePolicy;
import io.ticketing.domain.policy.SoftDeletePolicy;
import io.ticketing.domain.policy.SoftDeleteRequest;
import io.ticketing.domain.port.in.CreateEventCommand;
import io.ticketing.domain.port.in.CreateEventUseCase;
import io.ticketing.domain.port.in.DeleteEventUseCase;
import io.ticketing.domain.port.in.EditEventCommand;
import io.ticketing.domain.port.in.EditEventUseCase;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.EventPage;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetEventUseCase;
import io.ticketing.domain.port.in.GetUpcomingEventsQuery;
import io.ticketing.domain.port.in.GetUpcomingEventsUseCase;
import io.ticketing.domain.port.in.ListEventsQuery;
import io.ticketing.domain.port.in.ListEventsUseCase;
import io.ticketing.domain.port.in.PublishEventUseCase;
import io.ticketing.domain.port.in.RestoreEventUseCase;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.SaveEventPort;
import io.ticketing.domain.port.out.LoadEventSummaryPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

public class EventService extends ServiceSupport implements CreateEventUseCase, PublishEventUseCase, EditEventUseCase,
        DeleteEventUseCase, RestoreEventUseCase, GetEventUseCase, GetUpcomingEventsUseCase,
        ListEventsUseCase {

    private final LoadEventPort loadEvent;
    private final SaveEventPort saveEvent;
    private final LoadEventSummaryPort loadEventSummary;

    public EventService(UnitOfWorkPort unitOfWork, Clock clock, LoadEventPort loadEvent, SaveEventPort saveEvent, LoadEventSummaryPort loadEventSummary) {
        super(unitOfWork, clock);
        this.loadEvent = Objects.requireNonNull(loadEvent, "loadEvent");
        this.saveEvent = Objects.requireNonNull(saveEvent, "saveEvent");
        this.loadEventSummary = Objects.requireNonNull(loadEventSummary, "loadEventSummary");
    }

    @Override
    public Event createEvent(CreateEventCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // As an edit may not move an upcoming event into the past, an event is not created there: it would sell nothing
            // (its start is past) and be over before it was published. Past sales come in through `legacy import`.
            Instant now = now();
            InvalidValueException.check(!command.details().startsAt().isBefore(now),
                    "startsAt %s is in the past: an event is created to take place later".formatted(command.details().startsAt()));
            Event event = Event.draft(command.details(), command.currency(), now);
            saveEvent.insertEvent(event);
            return event;
        });
    }

    @Override
    public Event publishEvent(EventCommand command) {
        InvalidValueException.required(command, "command");
        return change(command, Event::publish);
    }

    @Override
    public Event editEvent(EditEventCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            Event event = existingEvent(loadEvent, command.eventId(), RowLock.EXCLUSIVE);
            if (event.version() != command.expectedVersion()) {
                throw new ConcurrentChangeException("Event", event.id(), "version " + command.expectedVersion());
            }
            Policy.firstRejection(EventChangePolicy.allCurrentPolicies(), event).orThrow();
            // Moved into the past, an upcoming event would have started at once: its sales, its customers' own
            // cancellations and its deletion's rule all turn on its start. An event under way or over may be corrected.
            Instant now = now();
            InvalidValueException.check(event.hasStartedAt(now) || !command.details().startsAt().isBefore(now),
                    "startsAt %s is in the past: an event that has not started cannot be moved into it".formatted(command.details().startsAt()));
            return saveEvent.updateEvent(event.edit(command.details()));
        });
    }

    @Override
    public Event deleteEvent(EventCommand command) {
        InvalidValueException.required(command, "command");
        return softDelete(command, SoftDeletePolicy.deletionPolicies(), event -> event.markDeleted(now(), command.actor()));
    }

    @Override
    public Event restoreEvent(EventCommand command) {
        InvalidValueException.required(command, "command");
        return softDelete(command, SoftDeletePolicy.restorePolicies(), Event::restore);
    }

    @Override
    public Optional<Event> getEvent(EventQuery query) {
        InvalidValueException.required(query, "query");
        return inUnitOfWork(query.requester(), () -> loadEvent.loadEvent(query.eventId(), RowLock.NONE)
                .filter(event -> AccessPolicy.maySee(query.requester(), event)));
    }

    @Override
    public EventPage getUpcomingEvents(GetUpcomingEventsQuery query) {
        InvalidValueException.required(query, "query");
        return inUnitOfWork(Actor.anonymous(), () -> page(loadEvent.loadUpcomingEvents(now(), query.after(), query.limit() + 1), query.limit()));
    }

    @Override
    public EventPage listEvents(ListEventsQuery query) {
        InvalidValueException.required(query, "query");
        AccessPolicy.mayOperate(query.requester()).orThrow();
        return inUnitOfWork(query.requester(), () -> {
            // The cursor must be an event (deleted since, it still marks the place): after anything else an empty page
            // would read as the last one.
            if (query.after() != null && loadEvent.loadEvent(query.after(), RowLock.NONE).isEmpty()) {
                throw new InvalidCursorException("after is not an event: pass the nextAfter of the previous page.");
            }
            return page(loadEvent.loadEvents(query.includeDeleted(), query.after(), query.limit() + 1), query.limit());
        });
    }

    /** {@code rows}, read one more than {@code limit}: that one tells whether a next page exists without counting. */
    private static EventPage page(List<Event> rows, int limit) {
        if (rows.size() <= limit) {
            return new EventPage(rows, Optional.empty());
        }
        List<Event> page = rows.subList(0, limit);
        return new EventPage(page, Optional.of(page.get(page.size() - 1).id()));
    }

    private Event change(EventCommand command, UnaryOperator<Event> change) {
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            Event event = existingEvent(loadEvent, command.eventId(), RowLock.EXCLUSIVE);
            Policy.firstRejection(EventChangePolicy.allCurrentPolicies(), event).orThrow();
            return saveEvent.updateEvent(change.apply(event));
        });
    }

    // The exclusive lock makes checkouts and payments of this event wait, so the counters checked here stay true.
    private Event softDelete(EventCommand command, List<SoftDeletePolicy> policies, UnaryOperator<Event> change) {
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            Event event = existingEvent(loadEvent, command.eventId(), RowLock.EXCLUSIVE);
            EventSummary summary = loadEventSummary.loadEventSummary(event.id())
                    .orElseGet(() -> EventSummary.empty(event.id(), event.currency()));
            Policy.firstRejection(policies, new SoftDeleteRequest(event, summary, now())).orThrow();
            return saveEvent.updateEvent(change.apply(event));
        });
    }
}
