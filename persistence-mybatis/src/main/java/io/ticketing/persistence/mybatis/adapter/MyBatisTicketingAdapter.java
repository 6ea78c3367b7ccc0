package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.AnalyticsRefresh;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * The domain's out-ports over the optimized schema, with MyBatis: the one public entry point of the
 * adapters, which are package-private.
 */
public final class MyBatisTicketingAdapter {

    private MyBatisTicketingAdapter() {
    }

    /** Ports over a data source (e.g. {@code ConnectionPool.dataSource()}), with a session factory of their own. */
    public static TicketingPorts create(DataSource dataSource, Clock clock) {
        return create(new Sessions(dataSource), clock);
    }

    /** Ports sharing the application's sessions, so that other repositories can join their units of work. */
    public static TicketingPorts create(Sessions sessions, Clock clock) {
        Database database = new Database(sessions);
        EventPersistenceAdapter events = new EventPersistenceAdapter(database, new AnalyticsRefresh(sessions));
        SeatPersistenceAdapter seats = new SeatPersistenceAdapter(database);
        CheckoutPersistenceAdapter checkouts = new CheckoutPersistenceAdapter(database);
        BookingPersistenceAdapter bookings = new BookingPersistenceAdapter(database);
        CustomerPersistenceAdapter customers = new CustomerPersistenceAdapter(database);
        CancellationPersistenceAdapter cancellations = new CancellationPersistenceAdapter(database);
        return new TicketingPorts(new MyBatisUnitOfWork(database), clock,
                events, events, seats, seats, seats,
                checkouts, checkouts, checkouts,
                bookings, bookings, bookings, bookings,
                customers, customers,
                events, events,
                cancellations, cancellations);
    }
}
