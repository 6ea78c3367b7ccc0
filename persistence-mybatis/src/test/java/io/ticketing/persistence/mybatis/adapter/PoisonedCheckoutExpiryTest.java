package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.ExpireCheckoutsUseCase;
import io.ticketing.domain.port.in.ExpiryRun;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.MutableClock;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.ticketing.domain.testing.contract.TicketingFixtures.SWEEPER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One checkout the sweeper cannot expire (its seat was released behind its back, by a writer past the
 * database's guards) no longer stops every other expiry: the sweep expires the others at once, reports the
 * bad one, leaves it out of the next sweeps for a while, then tries it again.
 */
class PoisonedCheckoutExpiryTest {

    private static final CheckoutLimits LIMITS = new CheckoutLimits(Duration.ofMinutes(15), 10, 1000);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    private final PostgresPorts postgres = new PostgresPorts(clock);
    private final TicketingServices services = TicketingServices.wire(postgres.ports, LIMITS);
    private final TicketingFixtures given = new TicketingFixtures(services, clock);

    @AfterEach
    void closePool() {
        postgres.close();
    }

    @Test
    void a_poisoned_checkout_does_not_delay_the_others_expiry() throws SQLException {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        PaymentSession poisoned = given.checkout(given.customer(), concert, concert.seatIds(0, 1));
        clock.advance(Duration.ofSeconds(1));
        List<PaymentSessionId> others = IntStream.range(1, 4)
                .mapToObj(i -> given.checkout(given.customer(), concert, concert.seatIds(i, i + 1)).id()).toList();
        releaseBehindTheCheckoutsBack(concert.seat(0).value());
        clock.advance(LIMITS.expiry());

        ExpiryRun sweep = sweep();

        assertThat(sweep.expired()).as("every other checkout, in the same sweep").containsExactlyInAnyOrderElementsOf(others);
        assertThat(sweep.failed()).containsOnlyKeys(poisoned.id());
        assertThat(sweep.failed().get(poisoned.id())).contains("the storage is inconsistent");
        assertThat(statusOf(poisoned.id())).isEqualTo("OPEN");
        for (PaymentSessionId other : others) {
            assertThat(statusOf(other)).isEqualTo("EXPIRED");
        }

        assertThat(sweep().failed()).as("left out of the next sweeps for a while").isEmpty();
        clock.advance(ExpireCheckoutsUseCase.RETRY_FAILED_AFTER);
        assertThat(sweep().failed()).as("then tried again").containsOnlyKeys(poisoned.id());
    }

    private ExpiryRun sweep() {
        return services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 10));
    }

    /** As data written before the guards existed: the seat AVAILABLE while an open checkout still claims it. */
    private void releaseBehindTheCheckoutsBack(UUID seat) throws SQLException {
        try (Connection connection = postgres.database.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement off = connection.prepareStatement("SET LOCAL ticketing.check_invariants = off");
                 PreparedStatement release = connection.prepareStatement(
                         "UPDATE ticketing.seat SET status = 'AVAILABLE' WHERE id = ?")) {
                off.execute();
                release.setObject(1, seat);
                assertThat(release.executeUpdate()).isEqualTo(1);
            }
            connection.commit();
        }
    }

    private String statusOf(PaymentSessionId checkout) throws SQLException {
        try (Connection connection = postgres.database.connect();
             PreparedStatement query = connection.prepareStatement("SELECT status::text FROM ticketing.payment_session WHERE id = ?")) {
            query.setObject(1, checkout.value());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}
