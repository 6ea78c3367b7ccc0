package io.ticketing.app;

import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.ContinueEventCancellationCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/** `ticketing cancel-event` as an operator runs it: cancel an event with a reason, or finish one a crash left half done. */
class EventCancelCommandTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    private TestDatabase database;
    private ConnectionPool pool;
    private TicketingServices services;
    private TicketingFixtures given;

    @BeforeEach
    void migratedDatabase() {
        database = TestApplication.migratedDatabase();
        pool = ConnectionPool.open(database.jdbcUrl(), database.user(), database.password(), 4, Duration.ofSeconds(5),
                TestPostgres.throughPooler());
        Clock clock = Clock.systemUTC();
        TicketingPorts ports = MyBatisTicketingAdapter.create(pool.dataSource(), clock);
        services = TicketingServices.wire(ports);
        given = new TicketingFixtures(services, clock);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void cancels_an_event_with_a_reason_and_runs_the_cascade_to_the_end() {
        EventWithSeats concert = given.publishedEventWithSeats(5);
        given.paidBooking(given.customer(), concert, concert.seatIds(0, 2));
        given.paidBooking(given.customer(), concert, concert.seatIds(2, 3));

        assertThat(run("cancel-event", concert.event().id().toString(), "--reason", "Flooded hall", "--as", "ops-ann",
                "--batch-size", "1")).isZero();

        assertThat(console.out()).contains("Cancelled event " + concert.event().id() + " (Flooded hall, by admin:ops-ann")
                .contains("2 bookings cancelled, 2 refunds requested, 0 checkouts cancelled, 5 seats blocked");
        EventCancellation done = cancellationOf(concert.event().id());
        assertThat(done.isDone()).isTrue();
        assertThat(done.requestedBy()).isEqualTo("admin:ops-ann");
    }

    @Test
    void continues_a_cancellation_that_stopped_half_way_without_a_reason() {
        EventWithSeats concert = given.publishedEventWithSeats(4);
        for (int seat = 0; seat < 4; seat++) {
            given.paidBooking(given.customer(), concert, concert.seatIds(seat, seat + 1));
        }
        services.cancellations().cancelEvent(new CancelEventCommand(ADMIN, concert.event().id(), "Strike"));
        services.cancellations().continueEventCancellation(new ContinueEventCancellationCommand(ADMIN, concert.event().id(), 3));

        assertThat(run("cancel-event", concert.event().id().toString())).isZero();

        assertThat(console.out()).contains("Continuing event " + concert.event().id() + " (Strike")
                .contains("4 bookings cancelled, 4 refunds requested");
        assertThat(cancellationOf(concert.event().id()).isDone()).isTrue();
    }

    @Test
    void an_event_not_cancelled_yet_needs_a_reason_and_a_bad_id_is_a_usage_error() {
        EventWithSeats concert = given.publishedEventWithSeats(1);

        assertThat(run("cancel-event", concert.event().id().toString())).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("--reason is required");
        console.reset();
        assertThat(run("cancel-event", "not-an-id", "--reason", "x")).isEqualTo(2);
        assertThat(console.err()).contains("is not an event id");
        console.reset();
        assertThat(run("cancel-event", EventId.newId().toString(), "--reason", "x")).isEqualTo(1);
        assertThat(console.err()).contains("no event");
    }

    @Test
    void an_operator_name_that_shows_nothing_is_a_usage_error_and_cancels_nothing() {
        EventWithSeats concert = given.publishedEventWithSeats(1);

        assertThat(run("cancel-event", concert.event().id().toString(), "--reason", "Flooded hall", "--as", "\u200B\u00A0")).isEqualTo(2);

        assertThat(console.err().strip().lines()).singleElement().asString().contains("--as must not be blank");
        assertThat(services.cancellations().getEventCancellation(new EventQuery(ADMIN, concert.event().id()))).isEmpty();
    }

    @Test
    void an_operator_name_over_two_lines_or_too_long_and_a_reason_too_long_or_with_a_control_character_are_usage_errors() {
        EventWithSeats concert = given.publishedEventWithSeats(1);
        String event = concert.event().id().toString();

        // A name that breaks the line would forge a second line in the audit trail and the output.
        assertThat(run("cancel-event", event, "--reason", "Flooded hall", "--as", "ann\nadmin:root")).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("--as must not contain control characters");
        console.reset();
        assertThat(run("cancel-event", event, "--reason", "Flooded hall", "--as", "a".repeat(256))).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("--as is longer than 255 characters");
        console.reset();
        assertThat(run("cancel-event", event, "--reason", "x".repeat(501))).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("reason is longer than 500 characters");
        console.reset();
        assertThat(run("cancel-event", event, "--reason", "a\u0001b")).isEqualTo(2);
        assertThat(console.err().strip().lines()).singleElement().asString().contains("reason must not contain control characters");

        assertThat(services.cancellations().getEventCancellation(new EventQuery(ADMIN, concert.event().id()))).isEmpty();
    }

    @Test
    void a_database_without_the_schema_is_told_to_migrate_first() {
        TestDatabase empty = TestPostgres.emptyDatabase();
        List<String> args = new ArrayList<>(List.of("cancel-event", EventId.newId().toString(), "--reason", "x"));
        args.addAll(TestApplication.commandLineOptions(empty));
        assertThat(Main.run(args.toArray(String[]::new))).isEqualTo(1);
        assertThat(console.err()).contains("run `ticketing migrate` first");
    }

    private EventCancellation cancellationOf(EventId eventId) {
        return services.cancellations().getEventCancellation(new EventQuery(ADMIN, eventId)).orElseThrow();
    }

    private int run(String... arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.addAll(TestApplication.commandLineOptions(database));
        return Main.run(args.toArray(String[]::new));
    }
}
