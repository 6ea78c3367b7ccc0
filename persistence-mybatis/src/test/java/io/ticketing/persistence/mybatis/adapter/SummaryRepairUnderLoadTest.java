package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.MutableClock;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import io.ticketing.migration.schema.Maintenance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `maintain --repair` recounts a drifting event's summary while customers book seats of that very event:
 * the repair takes the event's shard rows as the bookings do, so no booking's counts are lost or counted
 * twice; once the bookings are done, the summary equals a recount without another repair.
 */
class SummaryRepairUnderLoadTest {

    private static final CheckoutLimits LIMITS = new CheckoutLimits(Duration.ofMinutes(15), 10, 1000);
    private static final int BOOKERS = 4;
    private static final int SEATS = 80;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    private final PostgresPorts postgres = new PostgresPorts(clock);
    private final TicketingServices services = TicketingServices.wire(postgres.ports, LIMITS);
    private final TicketingFixtures given = new TicketingFixtures(services, clock);

    @AfterEach
    void closePool() {
        postgres.close();
    }

    @Test
    void a_repair_while_bookings_run_loses_no_booking() throws Exception {
        EventWithSeats concert = given.publishedEventWithSeats(SEATS);
        String event = concert.event().id().value().toString();
        plantDrift(event);
        assertThat(drifting()).containsExactly(event);

        AtomicInteger booked = new AtomicInteger();
        ExecutorService bookers = Executors.newFixedThreadPool(BOOKERS);
        List<Future<?>> running = new ArrayList<>();
        for (int b = 0; b < BOOKERS; b++) {
            int booker = b;
            running.add(bookers.submit(() -> {
                for (int seat = booker; seat < SEATS; seat += BOOKERS) {
                    given.paidBooking(given.customer(), concert, concert.seatIds(seat, seat + 1));
                    booked.incrementAndGet();
                }
                return null;
            }));
        }
        while (booked.get() < SEATS / 4) {
            Thread.sleep(5);
        }
        List<Maintenance.Action> repairs = new Maintenance(postgres.database.dataSource(), Maintenance.Settings.defaults())
                .repairSummaries(name -> { });
        int bookedBeforeTheRepairEnded = booked.get();
        for (Future<?> booker : running) {
            booker.get();
        }
        bookers.shutdown();

        assertThat(repairs).singleElement().satisfies(repair -> assertThat(repair.detail()).isEqualTo("repaired"));
        assertThat(bookedBeforeTheRepairEnded).as("the repair ran while bookings went on").isLessThan(SEATS);
        assertThat(drifting()).as("every booking counted exactly once").isEmpty();
        SeatInvariants.assertHold(postgres.database);
    }

    private void plantDrift(String event) throws SQLException {
        try (Connection connection = postgres.database.connect();
             PreparedStatement drift = connection.prepareStatement(
                     "UPDATE ticketing.event_summary_shard SET seats_available = seats_available + 5 WHERE event_id = ?::uuid AND shard = 3")) {
            drift.setString(1, event);
            assertThat(drift.executeUpdate()).isEqualTo(1);
        }
    }

    private List<String> drifting() throws SQLException {
        List<String> events = new ArrayList<>();
        try (Connection connection = postgres.database.connect();
             ResultSet rows = connection.createStatement().executeQuery("SELECT event_id::text FROM ticketing.event_summary_drift")) {
            while (rows.next()) {
                events.add(rows.getString(1));
            }
        }
        return events;
    }
}
