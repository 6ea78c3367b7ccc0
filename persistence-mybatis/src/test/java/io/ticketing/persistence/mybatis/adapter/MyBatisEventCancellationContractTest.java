package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.EventCancellationContract;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/** The domain's port contract, against the MyBatis adapter on a fresh PostgreSQL database per test. */
class MyBatisEventCancellationContractTest extends EventCancellationContract {

    private PostgresPorts postgres;

    @Override
    protected TicketingPorts createPorts(Clock clock) {
        postgres = new PostgresPorts(clock);
        return postgres.ports;
    }

    @Override
    protected void releasePorts(TicketingPorts ports) {
        postgres.close();
    }

    @Test
    void after_a_cancellation_the_schema_rules_hold_the_summary_has_no_drift_and_the_audit_trail_says_who_and_why()
            throws SQLException {
        EventWithSeats concert = given.publishedEventWithSeats(8);
        Booking paid = given.paidBooking(given.customer(), concert, concert.seatIds(0, 3)).booking().orElseThrow();
        given.checkout(given.customer(), concert, concert.seatIds(3, 5));

        given.cancelledEvent(concert.event().id(), "flooded venue", 2);

        SeatInvariants.assertHold(postgres.database);
        String eventId = concert.event().id().value().toString();
        try (Connection connection = postgres.database.connect()) {
            assertThat(strings(connection, "SELECT event_id::text FROM ticketing.event_summary_drift")).isEmpty();
            assertThat(strings(connection, "SELECT ticketing.repair_event_summary(?::uuid)::text", eventId)).containsExactly("false");
            assertThat(strings(connection, """
                    SELECT actor || ' ' || action || ' ' || (new_values ->> 'reason') FROM ticketing.audit_log
                     WHERE entity_type = 'event_cancellation' AND event_id = ?::uuid AND action = 'INSERT'""", eventId))
                    .containsExactly(ADMIN.auditName() + " INSERT flooded venue");
            assertThat(strings(connection, """
                    SELECT new_values ->> 'state' FROM ticketing.audit_log
                     WHERE entity_type = 'event_cancellation' AND event_id = ?::uuid AND action = 'UPDATE'""", eventId))
                    .containsExactly("DONE");
            assertThat(strings(connection, """
                    SELECT actor || ' ' || (new_values ->> 'amount') FROM ticketing.audit_log
                     WHERE entity_type = 'refund_request' AND event_id = ?::uuid""", eventId))
                    .containsExactly(ADMIN.auditName() + " " + paid.total().amount());
            // Written set-based, a batch still audits each row it changed, with who changed it.
            assertThat(strings(connection, """
                    SELECT actor || ' ' || entity_type || ' ' || entity_id || ' ' || (new_values ->> 'status')
                      FROM ticketing.audit_log
                     WHERE entity_type IN ('booking', 'ticket') AND event_id = ?::uuid AND action = 'UPDATE'
                       AND new_values ->> 'status' = 'CANCELLED'
                     ORDER BY entity_type""", eventId))
                    .hasSize(4)
                    .contains(ADMIN.auditName() + " booking " + paid.id().value() + " CANCELLED")
                    .allSatisfy(line -> assertThat(line).startsWith(ADMIN.auditName() + " "));
            assertThat(strings(connection, """
                    SELECT actor || ' ' || entity_id || ' ' || (new_values ->> 'status') FROM ticketing.audit_log
                     WHERE entity_type = 'payment_session' AND event_id = ?::uuid AND action = 'UPDATE'
                       AND new_values ->> 'status' = 'CANCELLED'""", eventId))
                    .singleElement().asString().startsWith(ADMIN.auditName() + " ");
            assertThat(strings(connection, """
                    SELECT provider_idempotency_key || ' ' || status || ' ' || amount || ' ' || currency
                      FROM ticketing.refund_request WHERE event_id = ?::uuid""", eventId))
                    .containsExactly("refund-" + paid.id().value() + " REQUESTED " + paid.total().amount() + " EUR");
        }
    }

    @Test
    void a_migrated_pending_booking_whose_checkout_alone_names_it_is_cancelled_with_that_checkout() throws SQLException {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        PaymentSession processing = given.checkout(given.customer(), concert, concert.seatIds(0, 2));
        Booking pending = given.report(processing, PaymentResult.PROCESSING).booking().orElseThrow();
        try (Connection connection = postgres.database.connect(); Statement statement = connection.createStatement()) {
            // As the legacy import leaves it: the legacy checkout points at its booking, the booking names no checkout.
            statement.execute("UPDATE ticketing.payment_session SET booking_id = '%s' WHERE id = '%s'"
                    .formatted(pending.id().value(), processing.id().value()));
            statement.execute("UPDATE ticketing.booking SET payment_session_id = NULL WHERE id = '%s'".formatted(pending.id().value()));
        }

        EventCancellation done = given.cancelledEvent(concert.event().id(), "flooded venue", 25);

        assertThat(done.bookingsDone()).isEqualTo(1);
        assertThat(done.checkoutsDone()).isEqualTo(1);
        assertThat(done.seatsDone()).isEqualTo(4);
        SeatInvariants.assertHold(postgres.database);
        try (Connection connection = postgres.database.connect()) {
            assertThat(strings(connection, "SELECT status::text FROM ticketing.payment_session WHERE id = ?::uuid",
                    processing.id().value().toString())).containsExactly("CANCELLED");
            assertThat(strings(connection, "SELECT DISTINCT status::text FROM ticketing.seat WHERE event_id = ?::uuid",
                    concert.event().id().value().toString())).containsExactly("BLOCKED");
        }

        // The provider reports the payment after all: its refund goes through that checkout, which took the money.
        given.report(processing, PaymentResult.SUCCEEDED);
        try (Connection connection = postgres.database.connect()) {
            assertThat(strings(connection, "SELECT status || ' ' || payment_session_id FROM ticketing.refund_request WHERE booking_id = ?::uuid",
                    pending.id().value().toString())).containsExactly("REQUESTED " + processing.id().value());
        }
    }

    private static List<String> strings(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
