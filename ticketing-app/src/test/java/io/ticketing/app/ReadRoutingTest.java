package io.ticketing.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.StorageUnavailableException;
import io.ticketing.domain.port.in.AvailableSeatsQuery;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.GetUpcomingEventsQuery;
import io.ticketing.domain.port.in.SalesAnalyticsQuery;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.port.out.UnitOfWorkPort;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.inmemory.InMemoryTicketingAdapter;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.ReplicaHealth;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;
import io.ticketing.testsupport.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which server answers which read: two in-memory stores stand in for the primary's and the replica's data (each
 * holds an event the other has not), and the replica's health is checked against a real server (not a standby,
 * so in use). The flow test ({@code ReadReplicaFlowTest}) runs the same against a real streaming replica.
 */
class ReadRoutingTest {

    private static final Actor ANONYMOUS = Actor.anonymous();
    private static final Actor ADMIN = TicketingFixtures.ADMIN;
    private static final Actor STAFF = TicketingFixtures.DOOR_STAFF;

    private final Clock clock = Clock.systemUTC();
    private final TicketingServices primary = TicketingServices.wire(InMemoryTicketingAdapter.newPorts(clock));
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Counter byReplica = metrics.counter("reads", "served_by", "replica");
    private final Counter byPrimary = metrics.counter("reads", "served_by", "primary");
    private final Counter refused = metrics.counter("reads", "served_by", "none");
    private final Sessions replicaDatabase = new Sessions(TestPostgres.emptyDatabase().dataSource());
    // Its own primary: these tests route reads; ReplicaHealthTest holds a replica to the primary's data.
    private final ReplicaHealth health = new ReplicaHealth(replicaDatabase, replicaDatabase, Duration.ofSeconds(5));
    private EventId onThePrimaryOnly;
    private EventId onTheReplicaOnly;

    @BeforeEach
    void healthyReplica() {
        assertThat(health.check().inUse()).isTrue();
    }

    private ReadRouting routing(TicketingPorts replicaPorts) {
        return routing(replicaPorts, health);
    }

    private ReadRouting routing(TicketingPorts replicaPorts, ReplicaHealth health) {
        return routing(replicaPorts, health, () -> false);
    }

    private ReadRouting routing(TicketingPorts replicaPorts, ReplicaHealth health, BooleanSupplier saturated) {
        TicketingServices replica = TicketingServices.wire(replicaPorts);
        onThePrimaryOnly = new TicketingFixtures(primary, clock).publishedEventWithSeats(3).event().id();
        onTheReplicaOnly = new TicketingFixtures(replica, clock).publishedEventWithSeats(2).event().id();
        return new ReadRouting(primary, Optional.of(new ReadRouting.Replica(replica, health, saturated, byReplica, byPrimary, refused)));
    }

    /** A pool's wait that timed out while its connections were busy: Hikari names no failure to open one. */
    private static final SQLTransientConnectionException BUSY = new SQLTransientConnectionException(
            "ticketing-replica - Connection is not available, request timed out after 5000ms.");
    /** A pool's wait that timed out while no connection would open. */
    private static final SQLTransientConnectionException REFUSED = new SQLTransientConnectionException(
            "ticketing-replica - Connection is not available, request timed out after 5000ms.", "08001",
            new SQLException("Connection to 127.0.0.1:5433 refused", "08001"));

    /** The replica's ports, failing every unit of work with {@code cause} once {@code reachable[0]} is false. */
    private TicketingPorts unreachableWhenAsked(boolean[] reachable, SQLException cause) {
        TicketingPorts replicaPorts = InMemoryTicketingAdapter.newPorts(clock);
        UnitOfWorkPort working = replicaPorts.unitOfWork();
        return replicaPorts.withUnitOfWork(new UnitOfWorkPort() {
            @Override
            public <T> T inUnitOfWork(Actor actor, java.util.function.Supplier<T> work) {
                if (!reachable[0]) {
                    throw new StorageUnavailableException("the database cannot be reached: " + cause.getMessage(), cause);
                }
                return working.inUnitOfWork(actor, work);
            }
        });
    }

    @Test
    void browsing_and_stats_read_the_replica_while_it_is_in_use() {
        ReadRouting reads = routing(InMemoryTicketingAdapter.newPorts(clock));

        assertThat(reads.getUpcomingEvents(GetUpcomingEventsQuery.firstPage()).events()).extracting(e -> e.id()).containsExactly(onTheReplicaOnly);
        assertThat(reads.getEvent(new EventQuery(ANONYMOUS, onTheReplicaOnly))).isPresent();
        assertThat(reads.getAvailableSeats(new AvailableSeatsQuery(ANONYMOUS, onTheReplicaOnly, null, 10)).seats()).hasSize(2);
        assertThat(reads.getEventStats(new EventQuery(STAFF, onTheReplicaOnly))).isPresent();
        assertThat(byReplica.count()).isEqualTo(4);
        assertThat(byPrimary.count()).isZero();
    }

    @Test
    void an_admin_looking_at_an_event_or_its_seats_and_an_analytics_refresh_read_the_primary() {
        ReadRouting reads = routing(InMemoryTicketingAdapter.newPorts(clock));

        assertThat(reads.getEvent(new EventQuery(ADMIN, onThePrimaryOnly))).isPresent();
        assertThat(reads.getAvailableSeats(new AvailableSeatsQuery(ADMIN, onThePrimaryOnly, null, 10)).seats()).hasSize(3);
        assertThat(reads.getEventSalesAnalytics(new SalesAnalyticsQuery(ADMIN, true))).isNotNull();
        assertThat(byReplica.count() + byPrimary.count()).as("not reads that may lag").isZero();
    }

    @Test
    void a_replica_that_is_not_in_use_hands_every_read_to_the_primary() {
        try (ConnectionPool nowhere = ConnectionPool.openReplicaCheck("jdbc:postgresql://127.0.0.1:1/none", "nobody", "", false)) {
            ReplicaHealth down = new ReplicaHealth(new Sessions(nowhere.dataSource()), replicaDatabase, Duration.ofSeconds(5));
            assertThat(down.check().state()).isEqualTo(ReplicaHealth.State.DOWN);
            ReadRouting reads = routing(InMemoryTicketingAdapter.newPorts(clock), down);

            assertThat(reads.getUpcomingEvents(GetUpcomingEventsQuery.firstPage()).events()).extracting(e -> e.id()).containsExactly(onThePrimaryOnly);
            assertThat(reads.getAvailableSeats(new AvailableSeatsQuery(ANONYMOUS, onThePrimaryOnly, null, 10)).seats()).hasSize(3);
            assertThat(byPrimary.count()).isEqualTo(2);
            assertThat(byReplica.count()).isZero();
        }
    }

    @Test
    void a_read_that_fails_on_the_replica_is_answered_by_the_primary() {
        boolean[] reachable = {true};
        ReadRouting reads = routing(unreachableWhenAsked(reachable, REFUSED), health);
        reachable[0] = false;

        assertThat(reads.getAvailableSeats(new AvailableSeatsQuery(ANONYMOUS, onThePrimaryOnly, null, 10)).seats()).hasSize(3);
        assertThat(byPrimary.count()).isEqualTo(1);
        assertThat(health.status().inUse()).as("out of use only when its check says so").isTrue();
    }

    @Test
    void a_read_that_found_every_connection_of_a_well_replica_busy_is_refused_not_sent_to_the_primary() {
        boolean[] reachable = {true};
        ReadRouting reads = routing(unreachableWhenAsked(reachable, BUSY), health, () -> true);
        reachable[0] = false;
        assertThat(health.check().inUse()).isTrue();

        assertThatThrownBy(() -> reads.getAvailableSeats(new AvailableSeatsQuery(ANONYMOUS, onThePrimaryOnly, null, 10)))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(refused.count()).isEqualTo(1);
        assertThat(byPrimary.count() + byReplica.count()).isZero();
    }

    @Test
    void a_full_pool_whose_replica_fails_to_connect_is_not_saturated_the_primary_answers() {
        boolean[] reachable = {true};
        ReadRouting reads = routing(unreachableWhenAsked(reachable, REFUSED), health, () -> true);
        reachable[0] = false;
        assertThat(health.check().inUse()).isTrue();

        assertThat(reads.getAvailableSeats(new AvailableSeatsQuery(ANONYMOUS, onThePrimaryOnly, null, 10)).seats()).hasSize(3);
        assertThat(byPrimary.count()).isEqualTo(1);
        assertThat(refused.count()).isZero();
    }

    @Test
    void a_pool_tells_a_busy_server_from_one_out_of_reach_when_a_wait_for_a_connection_times_out() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        try (ConnectionPool busy = ConnectionPool.open(database.jdbcUrl(), database.user(), database.password(), 1, Duration.ofMillis(300));
             ConnectionPool nowhere = ConnectionPool.openReplicaCheck("jdbc:postgresql://127.0.0.1:1/none", "nobody", "", false);
             Connection held = busy.dataSource().getConnection()) {
            TicketingServices overBusy = TicketingServices.wire(MyBatisTicketingAdapter.create(new Sessions(busy.dataSource()), clock));

            // Its one connection held elsewhere: the read times out waiting, as every reader of a saturated replica.
            assertThatThrownBy(() -> overBusy.events().getUpcomingEvents(GetUpcomingEventsQuery.firstPage()).events())
                    .isInstanceOf(StorageUnavailableException.class)
                    .satisfies(timeout -> assertThat(ConnectionPool.timedOutWaitingForABusyPool(timeout)).isTrue());
            assertThat(busy.saturated()).isTrue();
            // No server: the wait times out as well, naming why no connection opened, with none serving anything.
            assertThatThrownBy(() -> nowhere.dataSource().getConnection())
                    .satisfies(timeout -> assertThat(ConnectionPool.timedOutWaitingForABusyPool(timeout)).isFalse());
            assertThat(nowhere.saturated()).isFalse();
        }
    }

    @Test
    void the_replicas_refusal_is_the_answer_not_a_reason_to_ask_the_primary() {
        ReadRouting reads = routing(InMemoryTicketingAdapter.newPorts(clock));

        // Not replayed yet: the replica does not know the event, and says so, as it would a moment later.
        assertThatThrownBy(() -> reads.getAvailableSeats(new AvailableSeatsQuery(ANONYMOUS, onThePrimaryOnly, null, 10)))
                .isInstanceOf(NotFoundException.class);
        assertThat(health.status().inUse()).isTrue();
        assertThat(byReplica.count()).isEqualTo(1);
        assertThat(byPrimary.count()).isZero();
    }

    @Test
    void without_a_replica_every_read_is_the_primarys_and_nothing_is_counted() {
        routing(InMemoryTicketingAdapter.newPorts(clock));
        ReadRouting reads = new ReadRouting(primary, Optional.empty());

        assertThat(reads.getUpcomingEvents(GetUpcomingEventsQuery.firstPage()).events()).extracting(e -> e.id()).containsExactly(onThePrimaryOnly);
        assertThat(byReplica.count() + byPrimary.count()).isZero();
    }
}
