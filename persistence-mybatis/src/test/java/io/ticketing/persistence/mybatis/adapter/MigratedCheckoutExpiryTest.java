package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.CheckoutExpiryService;
import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.LegacyDataGenerator;
import io.ticketing.migration.legacy.LegacyImporter;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.migration.schema.SchemaInvariants;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkout sweeper on an imported legacy database, years after every legacy checkout's expiry: it
 * expires the migrated open checkouts and nothing else. A legacy checkout whose booking waits for the
 * payment was migrated as PROCESSING, so its booking keeps its seats; no expiry fails, and every seat
 * still agrees with its claims.
 */
class MigratedCheckoutExpiryTest {

    private static final Clock LATER = Clock.fixed(Instant.parse("2031-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void the_sweeper_expires_migrated_open_checkouts_and_leaves_bookings_waiting_for_payment_their_seats() throws SQLException {
        TestDatabase database = TestPostgres.freshDatabase("legacy-dirty-3000", d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                LegacyDataGenerator.generate(connection, 3_000, 11);
            }
        });
        // Over a direct connection, as an operator runs it: the import keeps session state across transactions
        // (a temporary table, the import lock) that a transaction pooler would lose.
        new LegacyImporter(TestPostgres.direct(database).dataSource(), ImportOptions.defaults(),
                new PrintStream(OutputStream.nullOutputStream())).run();
        long open = count(database, "SELECT count(*) FROM ticketing.payment_session WHERE status = 'OPEN'");
        long pendingSeats = count(database, PENDING_BOOKINGS_SEATS + " AND s.status = 'RESERVED'");
        assertThat(open).as("migrated open checkouts (the planted one, of no booking)").isPositive();
        assertThat(pendingSeats).as("seats of migrated bookings waiting for their payment").isPositive();

        TicketingPorts ports = MyBatisTicketingAdapter.create(database.dataSource(), LATER);
        CheckoutExpiryService sweeper = new CheckoutExpiryService(ports.unitOfWork(), ports.clock(), ports.seatTransition(),
                ports.savePaymentSession(), ports.claimExpiredPaymentSessions());
        List<PaymentSessionId> expired = new ArrayList<>();
        List<PaymentSessionId> sweep;
        do {
            sweep = sweeper.expireCheckouts(new ExpireCheckoutsCommand(Actor.system("sweeper"), 100)).expired();
            expired.addAll(sweep);
        } while (!sweep.isEmpty());

        assertThat(expired).hasSize((int) open);
        assertThat(count(database, "SELECT count(*) FROM ticketing.payment_session WHERE status = 'OPEN'")).isZero();
        assertThat(count(database, PENDING_BOOKINGS_SEATS + " AND s.status = 'RESERVED'")).isEqualTo(pendingSeats);
        try (Connection connection = database.connect()) {
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
        }
    }

    private static final String PENDING_BOOKINGS_SEATS = """
            SELECT count(*) FROM ticketing.booking b
              JOIN ticketing.booked_seat bs ON bs.event_id = b.event_id AND bs.booking_id = b.id AND bs.released_at IS NULL
              JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
             WHERE b.status = 'PENDING' AND b.legacy_id IS NOT NULL""";

    private static long count(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
