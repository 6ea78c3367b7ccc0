package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/** What every service does the same way: units of work, the clock, loading an event that must exist. */
abstract class ServiceSupport {

    private final UnitOfWorkPort unitOfWork;
    private final Clock clock;

    protected ServiceSupport(UnitOfWorkPort unitOfWork, Clock clock) {
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    protected <T> T inUnitOfWork(Actor actor, Supplier<T> work) {
        return unitOfWork.inUnitOfWork(actor, work);
    }

    protected Instant now() {
        return clock.instant();
    }

    protected static Event existingEvent(LoadEventPort events, EventId eventId, RowLock lock) {
        return events.loadEvent(eventId, lock).orElseThrow(() -> new NotFoundException("Event", eventId));
    }

    /** An event {@code actor} may see ({@link AccessPolicy#maySee}): one it may not is not found, as one that does not exist. */
    protected static Event visibleEvent(LoadEventPort events, EventId eventId, Actor actor, RowLock lock) {
        return events.loadEvent(eventId, lock).filter(event -> AccessPolicy.maySee(actor, event))
                .orElseThrow(() -> new NotFoundException("Event", eventId));
    }
}
