package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.port.in.AddSeatsToSessionCommand;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.EventCommand;
import io.ticketing.domain.port.in.GetUpcomingEventsQuery;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.SavePaymentSessionPort;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.MutableClock;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.ApiKeyRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapper statements (the seed's "After" queries among them) checked against independent SQL. */
class MapperQueriesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    private final PostgresPorts postgres = new PostgresPorts(clock);
    private final TicketingPorts ports = postgres.ports;
    private final TicketingServices services = TicketingServices.wire(ports);
    private final TicketingFixtures given = new TicketingFixtures(services, clock);
    private final Sessions sessions = new Sessions(postgres.pool.dataSource());

    @AfterEach
    void closePool() {
        postgres.close();
    }

    @Test
    void upcoming_events_are_what_the_seed_query_finds_in_the_table() throws Exception {
        for (int days = 1; days <= 6; days++) {
            given.publishedEventWithSeats(1, Duration.ofDays(days));
        }
        EventWithSeats deleted = given.publishedEventWithSeats(1, Duration.ofDays(2));
        services.events().deleteEvent(new EventCommand(TicketingFixtures.ADMIN, deleted.event().id()));
        given.draftEvent(Duration.ofDays(1));

        List<UUID> expected = uuids("""
                SELECT id FROM ticketing.event
                 WHERE status = 'PUBLISHED' AND is_deleted = false AND starts_at >= ?
                 ORDER BY starts_at, id LIMIT 4""", clock.instant().atOffset(java.time.ZoneOffset.UTC));

        assertThat(services.events().getUpcomingEvents(new GetUpcomingEventsQuery(4)).events())
                .extracting(event -> event.id().value()).containsExactlyElementsOf(expected).hasSize(4)
                .doesNotContain(deleted.event().id().value());
    }

    @Test
    void available_seats_booking_seats_and_checkout_seats_agree_with_the_join_tables() throws Exception {
        EventWithSeats concert = given.publishedEventWithSeats(8);
        Customer customer = given.customer();
        Booking booking = given.paidBooking(customer, concert, concert.seatIds(2, 5)).booking().orElseThrow();
        PaymentSession session = given.checkout(customer, concert, List.of(concert.seat(7), concert.seat(0)));
        PaymentSession grown = services.checkouts().addSeatsToSession(new AddSeatsToSessionCommand(
                Actor.customer(customer.id()), session.id(), List.of(concert.seat(6), concert.seat(1))));
        UUID eventId = concert.event().id().value();

        assertThat(ports.loadSeat().loadAvailableSeats(concert.event().id(), null, 100))
                .extracting(seat -> seat.id().value())
                .containsExactlyElementsOf(uuids("""
                        SELECT id FROM ticketing.seat WHERE event_id = ? AND status = 'AVAILABLE'
                         ORDER BY section, "row", number""", eventId))
                .hasSize(1); // 8 seats: 3 booked, 4 held

        List<Seat> bookingSeats = sessions.withMapper(BookingMapper.class,
                mapper -> mapper.findBookingSeats(booking.id().value())).stream().map(SeatMapper.SeatRow::toDomain).toList();
        assertThat(bookingSeats).extracting(seat -> seat.id().value()).containsExactlyElementsOf(uuids("""
                SELECT s.id FROM ticketing.booked_seat bs JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                 WHERE bs.booking_id = ? ORDER BY s.section, s."row", s.number""", booking.id().value()));
        assertThat(bookingSeats).allSatisfy(seat -> assertThat(seat.status()).isEqualTo(SeatStatus.BOOKED));
        assertThat(ports.loadBooking().loadBooking(booking.id(), RowLock.NONE).orElseThrow().seatIds())
                .extracting(id -> id.value()).containsExactlyElementsOf(bookingSeats.stream().map(s -> s.id().value()).toList());

        // A checkout lists its seats in the order they were linked: the first request's, then the added ones.
        PaymentSession stored = ports.loadPaymentSession().loadPaymentSession(session.id(), RowLock.NONE).orElseThrow();
        assertThat(stored).isEqualTo(grown);
        assertThat(stored.seatIds()).extracting(id -> id.value()).containsExactlyElementsOf(uuids("""
                SELECT seat_id FROM ticketing.payment_session_seat
                 WHERE payment_session_id = ? AND released_at IS NULL ORDER BY created_at""", session.id().value()));
        assertThat(stored.seatIds()).containsExactly(concert.seat(0), concert.seat(7), concert.seat(1), concert.seat(6));
    }

    @Test
    void a_seat_stored_with_a_section_of_no_break_spaces_still_loads_with_its_event() throws Exception {
        // As an earlier import migrated a legacy seat (it quarantined only sections that btrim empties).
        EventWithSeats concert = given.publishedEventWithSeats(2);
        try (Connection connection = postgres.database.connect();
             PreparedStatement update = connection.prepareStatement("UPDATE ticketing.seat SET section = ?, \"row\" = ? WHERE id = ?")) {
            update.setString(1, "\u00a0");
            update.setString(2, "\u200b");
            update.setObject(3, concert.seat(0).value());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        assertThat(ports.loadSeat().loadAvailableSeats(concert.event().id(), null, 100))
                .as("the event's seat map, the odd seat in it").hasSize(2)
                .anySatisfy(seat -> assertThat(seat.position().section()).isEqualTo("\u00a0"));
    }

    @Test
    void an_api_key_named_with_no_break_spaces_and_a_migrated_email_starting_with_one_load_as_stored() throws Exception {
        // Written before text that shows nothing counted as blank: the api_key and customer tables do not check it.
        CustomerId legacy = CustomerId.newId();
        try (Connection connection = postgres.database.connect();
             PreparedStatement key = connection.prepareStatement(
                     "INSERT INTO ticketing.api_key (name, role, key_hash) VALUES (?, 'ADMIN', 'hash-of-an-old-key')");
             PreparedStatement customer = connection.prepareStatement(
                     "INSERT INTO ticketing.customer (id, email, name, legacy_id) VALUES (?, ?, 'Old', 'L-1')")) {
            key.setString(1, "\u00a0\u00a0");
            assertThat(key.executeUpdate()).isEqualTo(1);
            customer.setObject(1, legacy.value());
            customer.setString(2, "\u00a0old@example.com");
            assertThat(customer.executeUpdate()).isEqualTo(1);
        }

        assertThat(new ApiKeyRepository(sessions).loadActiveApiKey("hash-of-an-old-key")).as("the key still authenticates")
                .hasValueSatisfying(key -> assertThat(key.name()).isEqualTo("\u00a0\u00a0"));
        assertThat(ports.unitOfWork().inUnitOfWork(TicketingFixtures.ADMIN, () -> ports.loadCustomer().loadCustomer(legacy, RowLock.NONE)))
                .hasValueSatisfying(customer -> assertThat(customer.email()).isEqualTo("\u00a0old@example.com"));
    }

    @Test
    void stats_and_sales_analytics_are_the_summary_table_and_the_view() throws Exception {
        EventWithSeats concert = given.publishedEventWithSeats(5);
        Customer customer = given.customer();
        given.paidBooking(customer, concert, concert.seatIds(0, 2));
        Booking refunded = given.paidBooking(customer, concert, concert.seatIds(2, 3)).booking().orElseThrow();
        services.bookings().cancelBooking(new BookingCommand(TicketingFixtures.ADMIN, refunded.id()));
        EventWithSeats deleted = given.publishedEventWithSeats(1);
        services.events().deleteEvent(new EventCommand(TicketingFixtures.ADMIN, deleted.event().id()));

        var stats = ports.loadEventSummary().loadEventSummary(concert.event().id()).orElseThrow();
        try (Connection connection = postgres.database.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT * FROM ticketing.event_summary_recount WHERE event_id = ?")) {
            statement.setObject(1, concert.event().id().value());
            try (ResultSet row = statement.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(stats.availableSeats()).isEqualTo(row.getLong("seats_available"));
                assertThat(stats.bookedSeats()).isEqualTo(row.getLong("seats_booked"));
                assertThat(stats.confirmedBookings()).isEqualTo(row.getLong("bookings_confirmed"));
                assertThat(stats.ticketsSold()).isEqualTo(row.getLong("tickets_sold"));
                assertThat(stats.refunds().amount()).isEqualByComparingTo(row.getBigDecimal("refunded_amount"));
                assertThat(stats.netRevenue().amount()).isEqualByComparingTo(row.getBigDecimal("gross_revenue"));
            }
        }

        var sales = services.statistics().getEventSalesAnalytics(new SalesAnalyticsQuery(TicketingFixtures.ADMIN, true));
        assertThat(sales).extracting(row -> row.eventId().value()).containsExactlyElementsOf(uuids("""
                SELECT event_id FROM ticketing.event_sales_summary ORDER BY total_revenue DESC, event_id"""));
        assertThat(sales).extracting(row -> row.eventId()).doesNotContain(deleted.event().id());
        assertThat(sales.get(0).totalRevenue().amount()).isEqualByComparingTo(new BigDecimal("50.00"));
        assertThat(sales.get(0).refunds().amount()).isEqualByComparingTo(new BigDecimal("25.00"));
    }

    @Test
    void the_soft_delete_statement_marks_the_row_and_hides_the_event_from_customers() throws Exception {
        EventWithSeats concert = given.publishedEventWithSeats(2);
        UUID eventId = concert.event().id().value();

        int deleted = sessions.inTransaction("admin:tool", session -> session.getMapper(EventMapper.class)
                .softDelete(eventId, clock.instant(), "admin:tool"));

        assertThat(deleted).isEqualTo(1);
        assertThat(uuids("SELECT id FROM ticketing.event WHERE id = ? AND is_deleted AND deleted_by = 'admin:tool'", eventId))
                .containsExactly(eventId);
        Event stored = ports.loadEvent().loadEvent(concert.event().id(), RowLock.NONE).orElseThrow();
        assertThat(stored.isDeleted()).isTrue();
        assertThat(ports.loadSeat().loadAvailableSeats(concert.event().id(), null, 100)).isEmpty();
        assertThat(ports.loadEvent().loadUpcomingEvents(clock.instant(), 10)).isEmpty();
    }

    @Test
    void the_actor_of_the_unit_of_work_is_what_the_audit_trail_records() throws Exception {
        EventWithSeats concert = given.publishedEventWithSeats(1);

        assertThat(strings("SELECT DISTINCT actor FROM ticketing.audit_log WHERE entity_type = 'event' AND entity_id = ?",
                concert.event().id().value())).containsExactly(TicketingFixtures.ADMIN.auditName());
    }

    @Test
    void a_use_case_failing_half_way_leaves_no_row_no_audit_and_no_counter_behind() throws Exception {
        EventWithSeats concert = given.publishedEventWithSeats(3);
        Customer customer = given.customer();
        long auditRows = count("SELECT count(*) FROM ticketing.audit_log");
        var summaryBefore = ports.loadEventSummary().loadEventSummary(concert.event().id()).orElseThrow();
        // The checkout reserves the seats and inserts its session with their links, then the storage fails.
        SavePaymentSessionPort failingAfterInsert = new SavePaymentSessionPort() {
            @Override
            public void insertPaymentSession(PaymentSession session) {
                ports.savePaymentSession().insertPaymentSession(session);
                throw new IllegalStateException("storage failed half-way");
            }

            @Override
            public void updatePaymentSession(PaymentSession changed, PaymentSessionStatus expectedStatus) {
                ports.savePaymentSession().updatePaymentSession(changed, expectedStatus);
            }
        };
        TicketingPorts broken = new TicketingPorts(ports.unitOfWork(), ports.clock(), ports.loadEvent(), ports.saveEvent(),
                ports.loadSeat(), ports.saveSeat(), ports.seatTransition(), ports.loadPaymentSession(), failingAfterInsert,
                ports.claimExpiredPaymentSessions(), ports.loadBooking(), ports.saveBooking(), ports.loadTicket(),
                ports.saveTicket(), ports.loadCustomer(), ports.saveCustomer(), ports.loadEventSummary(),
                ports.eventSalesAnalytics(), ports.eventCancellation(), ports.refundRequests());

        assertThatThrownBy(() -> new TicketingFixtures(TicketingServices.wire(broken), clock)
                .checkout(customer, concert, concert.seatIds(0, 3))).hasMessage("storage failed half-way");

        assertThat(count("SELECT count(*) FROM ticketing.payment_session")).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.payment_session_seat")).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.seat WHERE status <> 'AVAILABLE'")).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.audit_log")).isEqualTo(auditRows);
        assertThat(ports.loadEventSummary().loadEventSummary(concert.event().id())).contains(summaryBefore);
        SeatInvariants.assertHold(postgres.database);
        assertThat(given.checkout(customer, concert, concert.seatIds(0, 3)).seatIds()).hasSize(3);
    }

    private List<UUID> uuids(String sql, Object... parameters) throws Exception {
        List<UUID> ids = new ArrayList<>();
        query(sql, parameters, row -> ids.add(row.getObject(1, UUID.class)));
        return ids;
    }

    private List<String> strings(String sql, Object... parameters) throws Exception {
        List<String> values = new ArrayList<>();
        query(sql, parameters, row -> values.add(row.getString(1)));
        return values;
    }

    private long count(String sql) throws Exception {
        List<Long> values = new ArrayList<>();
        query(sql, new Object[0], row -> values.add(row.getLong(1)));
        return values.get(0);
    }

    private interface RowReader {
        void read(ResultSet row) throws Exception;
    }

    private void query(String sql, Object[] parameters, RowReader reader) throws Exception {
        try (Connection connection = postgres.database.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }
}
