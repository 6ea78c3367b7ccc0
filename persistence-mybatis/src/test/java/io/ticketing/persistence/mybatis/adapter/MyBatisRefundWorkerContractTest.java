package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.port.in.SendRefundsCommand;
import io.ticketing.domain.port.out.RefundPaymentPort;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.RefundService;
import io.ticketing.domain.testing.contract.RecordingRefundProvider;
import io.ticketing.domain.testing.contract.RefundWorkerContract;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The refund worker's contract, against the MyBatis adapter on a fresh PostgreSQL database per test. */
class MyBatisRefundWorkerContractTest extends RefundWorkerContract {

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
    void the_outbox_row_keeps_the_providers_refund_the_attempts_the_last_error_and_the_worker_in_the_audit_trail()
            throws SQLException {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        Booking sent = given.paidBooking(given.customer(), concert, concert.seatIds(0, 2)).booking().orElseThrow();
        Booking refused = given.paidBooking(given.customer(), concert, concert.seatIds(2, 4)).booking().orElseThrow();
        given.cancelledEvent(concert.event().id());
        RecordingRefundProvider provider = new RecordingRefundProvider();
        provider.failWith(refund -> refund.idempotencyKey().equals("refund-" + refused.id().value())
                ? new RefundPaymentPort.Refused("payment unknown") : null);

        new RefundService(ports.unitOfWork(), clock, ports.refundRequests(), provider)
                .sendDueRefunds(new SendRefundsCommand(Actor.system("refund-worker"), 10));

        try (Connection connection = postgres.database.connect()) {
            assertThat(strings(connection, """
                    SELECT status || ' ' || attempts || ' ' || coalesce(provider_refund_ref, '-') || ' '
                           || coalesce(last_error, '-') || ' ' || (completed_at IS NOT NULL)
                      FROM ticketing.refund_request WHERE booking_id = ?::uuid""", sent.id().value().toString()))
                    .containsExactly("SENT 1 re_refund-" + sent.id().value() + " - false");
            assertThat(strings(connection, """
                    SELECT status || ' ' || attempts || ' ' || coalesce(provider_refund_ref, '-') || ' '
                           || coalesce(last_error, '-') || ' ' || (completed_at IS NOT NULL)
                      FROM ticketing.refund_request WHERE booking_id = ?::uuid""", refused.id().value().toString()))
                    .containsExactly("FAILED 1 - refused by the provider: payment unknown true");
            assertThat(strings(connection, """
                    SELECT DISTINCT actor FROM ticketing.audit_log
                     WHERE entity_type = 'refund_request' AND action = 'UPDATE' AND event_id = ?::uuid""",
                    concert.event().id().value().toString()))
                    .containsExactly("system:refund-worker");
            assertThat(strings(connection, "SELECT event_id::text FROM ticketing.event_summary_drift")).isEmpty();
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
