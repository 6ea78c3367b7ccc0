package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventPosition;
import io.ticketing.domain.model.AnalyticsNotReadyException;
import io.ticketing.domain.model.EventSalesRow;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.port.out.EventSalesAnalyticsPort;
import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.port.out.LoadEventSummaryPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SaveEventPort;
import io.ticketing.persistence.mybatis.access.AnalyticsRefresh;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Events, their counters ({@code event_summary}) and the sales view ({@code event_sales_summary}). */
final class EventPersistenceAdapter implements LoadEventPort, SaveEventPort, LoadEventSummaryPort, EventSalesAnalyticsPort {

    private static final String EVENT = "Event";

    private final Database database;
    private final AnalyticsRefresh salesRefresh;

    EventPersistenceAdapter(Database database, AnalyticsRefresh salesRefresh) {
        this.database = database;
        this.salesRefresh = salesRefresh;
    }

    @Override
    public Optional<Event> loadEvent(EventId eventId, RowLock lock) {
        return database.call(EventMapper.class, EVENT, mapper ->
                Optional.ofNullable(mapper.findById(eventId.value(), lock)).map(EventMapper.EventRow::toDomain));
    }

    @Override
    public List<Event> loadUpcomingEvents(Instant from, EventPosition after, int limit) {
        return database.call(EventMapper.class, EVENT, mapper -> mapper.findUpcoming(from,
                after == null ? null : after.startsAt(), after == null ? null : after.eventId().value(), limit)
                .stream().map(EventMapper.EventRow::toDomain).toList());
    }

    @Override
    public List<Event> loadEvents(boolean includeDeleted, EventId after, int limit) {
        return database.call(EventMapper.class, EVENT, mapper -> mapper.findAll(includeDeleted,
                after == null ? null : after.value(), limit).stream().map(EventMapper.EventRow::toDomain).toList());
    }

    @Override
    public void insertEvent(Event event) {
        database.call(EventMapper.class, EVENT, mapper -> mapper.insert(event));
    }

    @Override
    public Event updateEvent(Event changed) {
        return database.call(EventMapper.class, EVENT, mapper -> {
            Database.updatedOrStale(mapper.update(changed, changed.isDeleted()), EVENT, changed.id(), "version " + changed.version());
            return changed.withVersion(changed.version() + 1);
        });
    }

    @Override
    public Optional<EventSummary> loadEventSummary(EventId eventId) {
        return database.call(StatisticsMapper.class, "EventSummary", mapper ->
                Optional.ofNullable(mapper.findEventSummary(eventId.value())).map(StatisticsMapper.SummaryRow::toDomain));
    }

    @Override
    public List<EventSalesRow> loadEventSales() {
        return database.call(StatisticsMapper.class, "EventSales", mapper -> {
            // Asked first rather than read from the error: reading an unpopulated view fails the whole transaction.
            if (!mapper.salesViewPopulated()) {
                throw new AnalyticsNotReadyException("The sales analytics have not been computed since the view was emptied; "
                        + "a refresh computes them: POST /analytics/sales/refresh, `./ticketing refresh-analytics` or "
                        + "`./ticketing maintain --refresh` (the server's own schedule does so too).");
            }
            return mapper.findEventSales().stream().map(StatisticsMapper.SalesRow::toDomain).toList();
        });
    }

    @Override
    public void refreshEventSales() {
        salesRefresh.refresh();
    }
}
