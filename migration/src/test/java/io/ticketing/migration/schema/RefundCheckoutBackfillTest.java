package io.ticketing.migration.schema;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static io.ticketing.migration.schema.MigratedDatabase.customer;
import static io.ticketing.migration.schema.MigratedDatabase.publishedEvent;
import static io.ticketing.migration.schema.MigratedDatabase.single;
import static io.ticketing.migration.schema.MigratedDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * V14: a refund request of a migrated booking, written before the outbox looked up the checkout that paid for
 * it, gets that checkout (so the worker sends it with the provider's reference); a request an operator already
 * holds (FAILED) is left as it is.
 */
class RefundCheckoutBackfillTest {

    @Test
    void a_requested_refund_of_a_migrated_booking_gets_the_legacy_checkout_that_paid_for_it() throws SQLException {
        TestDatabase database = TestPostgres.emptyDatabase();
        assertThat(SchemaMigrator.upTo(database.dataSource(), "13").migrate()).hasSize(13);
        UUID owed;
        UUID paidBy;
        UUID handled;
        try (Connection connection = MigratedDatabase.connectWithoutGuards(database)) {
            UUID customer = customer(connection);
            UUID event = publishedEvent(connection);
            // Two migrated bookings, paid then cancelled, naming no checkout; their legacy checkouts name them.
            owed = cancelledPaidBooking(connection, event, customer);
            handled = cancelledPaidBooking(connection, event, customer);
            paidBy = legacyCheckout(connection, event, customer, owed, "pi_owed");
            legacyCheckout(connection, event, customer, owed, null); // a second completed one, without a payment
            legacyCheckout(connection, event, customer, handled, "pi_handled");
            refundWithoutCheckout(connection, event, customer, owed, "REQUESTED");
            refundWithoutCheckout(connection, event, customer, handled, "FAILED");
        }

        assertThat(new SchemaMigrator(database.dataSource()).migrate()).containsExactly("14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26");

        try (Connection connection = MigratedDatabase.connect(database)) {
            assertThat(single(connection, "SELECT payment_session_id FROM refund_request WHERE booking_id = ?", owed)).isEqualTo(paidBy);
            assertThat(single(connection, "SELECT count(*) FROM refund_request WHERE booking_id = ? AND payment_session_id IS NULL", handled))
                    .isEqualTo(1L);
        }
    }

    private static UUID cancelledPaidBooking(Connection connection, UUID event, UUID customer) throws SQLException {
        UUID id = UUID.randomUUID();
        update(connection, """
                INSERT INTO booking (event_id, id, customer_id, total_amount, status, confirmed_at, cancelled_at, legacy_id)
                VALUES (?, ?, ?, 80.00, 'CANCELLED', now() - interval '1 day', now(), ?)""", event, id, customer, "legacy-" + id);
        return id;
    }

    private static UUID legacyCheckout(Connection connection, UUID event, UUID customer, UUID booking, String providerRef)
            throws SQLException {
        UUID id = UUID.randomUUID();
        update(connection, """
                INSERT INTO payment_session (event_id, id, customer_id, amount, currency, status, provider_ref, expires_at,
                                             booking_id, legacy_id, updated_at)
                VALUES (?, ?, ?, 80.00, 'EUR', 'SUCCEEDED', ?, now(), ?, ?, now() + make_interval(secs => ?))""",
                event, id, customer, providerRef, booking, "legacy-" + id, providerRef == null ? 60 : 0);
        return id;
    }

    private static void refundWithoutCheckout(Connection connection, UUID event, UUID customer, UUID booking, String status)
            throws SQLException {
        update(connection, """
                INSERT INTO refund_request (event_id, booking_id, customer_id, amount, currency, reason, status,
                                            provider_idempotency_key, requested_at, completed_at)
                VALUES (?, ?, ?, ?, 'EUR', 'booking cancelled by customer', ?, ?, now(),
                        CASE WHEN ? = 'FAILED' THEN now() END)""",
                event, booking, customer, new BigDecimal("80.00"), status, "refund-" + booking, status);
    }
}
