package io.ticketing.app;

import io.micrometer.core.instrument.Counter;
import io.ticketing.domain.model.ConcurrentChangeException;
import io.ticketing.domain.model.DomainException;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.InvalidCursorException;
import io.ticketing.domain.port.in.AvailableSeatsQuery;
import io.ticketing.domain.port.in.EventPage;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetAvailableSeatsUseCase;
import io.ticketing.domain.port.in.GetEventSalesAnalyticsUseCase;
import io.ticketing.domain.port.in.GetEventStatsUseCase;
import io.ticketing.domain.port.in.GetEventUseCase;
import io.ticketing.domain.port.in.GetUpcomingEventsQuery;
import io.ticketing.domain.port.in.GetUpcomingEventsUseCase;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.in.SeatPage;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.ReplicaHealth;
import io.ticketing.database.DatabaseErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Which server answers the reads that may be a moment old: anonymous browsing (events, an event, its seat
 * map), event stats and sales analytics. The replica does while its health says it is in use; the primary does
 * without a replica, while the replica is behind or down, for a read that failed on the replica, for a page of a seat
 * map after a seat the replica has not replayed yet, and for an operator's look at one event or its seats (an admin
 * reads what they just changed). A replica that is well but saturated
 * (no connection of its pool free within the wait, all busy with other reads, its check answered a moment ago)
 * keeps its reads: the reader is refused, not sent to the primary. A seat the replica shows available is
 * advisory: the checkout decides on the primary. Every other use case never comes here: writes, a customer's own
 * checkouts, bookings and tickets, and the admin's other reads go to the primary.
 */
final class ReadRouting implements GetUpcomingEventsUseCase, GetEventUseCase, GetAvailableSeatsUseCase,
        GetEventStatsUseCase, GetEventSalesAnalyticsUseCase {

    private static final Logger LOG = LoggerFactory.getLogger(ReadRouting.class);

    /**
     * The use cases over the replica's ports, its health, whether its pool has every connection serving a read, and
     * the count of reads each server answered (and of those neither did: refused while the replica was saturated).
     */
    record Replica(TicketingServices services, ReplicaHealth health, BooleanSupplier saturated, Counter servedByReplica,
                   Counter servedByPrimary, Counter refusedSaturated) {
    }

    /** A replica refuses a saturated read only if its check found it well this recently: two checks' time. */
    static final Duration SATURATION_CHECKED_WITHIN = ReplicaHealth.CHECK_EVERY.multipliedBy(2);

    private final TicketingServices primary;
    private final Optional<Replica> replica;

    ReadRouting(TicketingServices primary, Optional<Replica> replica) {
        this.primary = primary;
        this.replica = replica;
    }

    @Override
    public EventPage getUpcomingEvents(GetUpcomingEventsQuery query) {
        return mayLag(services -> services.events().getUpcomingEvents(query));
    }

    @Override
    public Optional<Event> getEvent(EventQuery query) {
        return query.requester().isOperator() ? primary.events().getEvent(query)
                : mayLag(services -> services.events().getEvent(query));
    }

    @Override
    public SeatPage getAvailableSeats(AvailableSeatsQuery query) {
        return query.requester().isOperator() ? primary.seats().getAvailableSeats(query)
                : mayLag(services -> services.seats().getAvailableSeats(query));
    }

    @Override
    public Optional<EventSummary> getEventStats(EventQuery query) {
        return mayLag(services -> services.statistics().getEventStats(query));
    }

    /** A refresh first writes, and its caller expects to read what it refreshed: the primary does both. */
    @Override
    public List<EventSalesRow> getEventSalesAnalytics(SalesAnalyticsQuery query) {
        return query.refreshFirst() ? primary.statistics().getEventSalesAnalytics(query)
                : mayLag(services -> services.statistics().getEventSalesAnalytics(query));
    }

    private <T> T mayLag(Function<TicketingServices, T> read) {
        if (replica.isEmpty()) {
            return read.apply(primary);
        }
        Replica replica = this.replica.get();
        if (replica.health().status().inUse()) {
            try {
                T answer = read.apply(replica.services());
                replica.servedByReplica().increment();
                return answer;
            } catch (ConcurrentChangeException cancelledByReplay) {
                // A standby cancels a query that would hold up its replay (conflict with recovery): ask the primary.
                LOG.debug("a read on the replica was cancelled by its replay; the primary answers it", cancelledByReplay);
            } catch (InvalidCursorException notReplayedYet) {
                // The cursor may come from a page the primary answered (the replica was behind) and name what the
                // replica has not replayed yet (seats just laid out): the primary, which has it, judges it.
                LOG.debug("a page cursor unknown to the replica; the primary answers it", notReplayedYet);
            } catch (DomainException answer) {
                replica.servedByReplica().increment(); // the domain's answer (not found, not allowed): the primary's too
                throw answer;
            } catch (RuntimeException failure) {
                if (ConnectionPool.timedOutWaitingForABusyPool(failure) && replica.saturated().getAsBoolean()
                        && replica.health().inUseWithin(SATURATION_CHECKED_WITHIN)) {
                    // No replica connection came free in time, the pool busy with other reads, and the replica
                    // answered its check a moment ago: a storm of reads. Its queue handed to the primary would load
                    // the server the replica spares (the buyers' checkouts); this reader is told to try again (503
                    // with Retry-After) instead. A replica that fails, or whose check went quiet, is not saturated.
                    replica.refusedSaturated().increment();
                    throw failure;
                }
                // This read only: a replica that is down is taken out of use by its check, within a second.
                LOG.warn("the read replica failed a read, the primary answers it: {}", DatabaseErrors.oneLine(failure));
            }
        }
        T answer = read.apply(primary);
        replica.servedByPrimary().increment();
        return answer;
    }
}
