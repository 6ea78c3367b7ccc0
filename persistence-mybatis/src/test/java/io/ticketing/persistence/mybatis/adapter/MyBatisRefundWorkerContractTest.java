package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.port.in.ApplyRefundResultCommand;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.RefundApplied;
import io.ticketing.domain.port.in.RefundRun;
import io.ticketing.domain.port.in.SendRefundsCommand;
import io.ticketing.domain.port.out.RefundPaymentPort;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.RefundResultService;
import io.ticketing.domain.service.RefundService;
import io.ticketing.domain.testing.contract.RecordingRefundProvider;
import io.ticketing.domain.testing.contract.RefundWorkerContract;
import io.ticketing.domain.testing.contract.TicketingFixtures;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void a_migrated_paid_booking_is_refunded_through_the_legacy_checkout_that_names_it() throws SQLException {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        Customer customer = given.customer();
        PaymentResultApplied paid = given.paidBooking(customer, concert, concert.seatIds(0, 2));
        Booking booking = paid.booking().orElseThrow();
        PaymentSessionId legacyCheckout = booking.paymentSessionId().orElseThrow();
        String withoutReference;
        try (Connection connection = postgres.database.connect(); Statement statement = connection.createStatement()) {
            // As the legacy import leaves it: the legacy checkout points at its booking, the booking names no checkout;
            // and a second completed checkout of the booking, without seats or the provider's reference.
            statement.execute("UPDATE ticketing.payment_session SET booking_id = '%s' WHERE id = '%s'"
                    .formatted(booking.id().value(), legacyCheckout.value()));
            statement.execute("UPDATE ticketing.booking SET payment_session_id = NULL WHERE id = '%s'".formatted(booking.id().value()));
            withoutReference = strings(connection, """
                    INSERT INTO ticketing.payment_session (event_id, customer_id, amount, currency, status, expires_at, booking_id, updated_at)
                    SELECT event_id, customer_id, amount, currency, 'SUCCEEDED', expires_at, booking_id, now() + interval '1 hour'
                      FROM ticketing.payment_session WHERE id = ?::uuid
                    RETURNING id::text""", legacyCheckout.value().toString()).get(0);
        }

        services.bookings().cancelBooking(new BookingCommand(Actor.customer(customer.id()), booking.id()));
        RecordingRefundProvider provider = new RecordingRefundProvider();
        RefundRun run = new RefundService(ports.unitOfWork(), clock, ports.refundRequests(), provider)
                .sendDueRefunds(new SendRefundsCommand(Actor.system("refund-worker"), 10));

        // Sent like any other refund, with the provider's reference of the legacy payment.
        assertThat(run).isEqualTo(new RefundRun(1, 1, 0, 0));
        assertThat(provider.refunded()).singleElement().satisfies(refund -> {
            assertThat(refund.providerPaymentRef()).isEqualTo("provider-" + legacyCheckout);
            assertThat(refund.amount()).isEqualTo(booking.total());
            assertThat(refund.idempotencyKey()).isEqualTo("refund-" + booking.id().value());
        });
        // The provider reports it on that checkout; the other checkout of the booking refunded nothing.
        RefundResultService reports = new RefundResultService(ports.unitOfWork(), clock, ports.refundRequests(),
                ports.loadTicket(), ports.saveTicket());
        assertThatThrownBy(() -> reports.applyRefundResult(new ApplyRefundResultCommand(TicketingFixtures.PAYMENTS,
                new PaymentSessionId(UUID.fromString(withoutReference)), "re_other", booking.total())))
                .isInstanceOf(NotFoundException.class);
        RefundApplied applied = reports.applyRefundResult(new ApplyRefundResultCommand(TicketingFixtures.PAYMENTS,
                legacyCheckout, "re_reported", booking.total()));
        assertThat(applied.refund().status()).isEqualTo(RefundRequest.Status.REFUNDED);
        assertThat(applied.refund().paymentSessionId()).contains(legacyCheckout);
        assertThat(applied.tickets()).extracting(Ticket::status).containsOnly(TicketStatus.REFUNDED).hasSize(2);
        SeatInvariants.assertHold(postgres.database);
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
