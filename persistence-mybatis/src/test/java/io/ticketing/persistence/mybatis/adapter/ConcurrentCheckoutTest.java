package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatsUnavailableException;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.policy.PolicyViolationException;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.domain.testing.contract.MutableClock;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 customers race for overlapping seats, round after round, through the use cases: checkouts, payments,
 * cancellations, refunds and concurrent expiry sweeps all at once. After every round, plain SQL confirms that no
 * seat is held or sold twice, that every seat's status agrees with its claims, and that event_summary equals a
 * recount; every winner got exactly the seats it asked for.
 */
class ConcurrentCheckoutTest {

    private static final int THREADS = 32;
    private static final int ROUNDS = 15;
    private static final int SEATS = 40;
    private static final CheckoutLimits LIMITS = new CheckoutLimits(Duration.ofMinutes(15), 10, 1000);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    private final PostgresPorts postgres = new PostgresPorts(clock);
    private final TicketingServices services = TicketingServices.wire(postgres.ports, LIMITS);
    private final TicketingFixtures given = new TicketingFixtures(services, clock);

    private enum Then { KEEP_OPEN, CANCEL, PAY, PAY_AND_REFUND }

    private record Attempt(int customer, List<SeatId> wanted, Then then) {
    }

    private record Result(Attempt attempt, PaymentSession session, PaymentResultApplied paid, Booking refunded,
                          Throwable failure) {
    }

    @AfterEach
    void closePool() {
        postgres.close();
    }

    @Test
    void racing_customers_never_share_a_seat_and_winners_get_exactly_what_they_asked_for() throws Exception {
        EventWithSeats concert = given.publishedEventWithSeats(SEATS);
        List<Customer> customers = IntStream.range(0, THREADS).mapToObj(i -> given.customer()).toList();
        Random random = new Random(20300115L);
        int winners = 0;
        int losers = 0;

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<Attempt> attempts = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    int count = 1 + random.nextInt(4);
                    int first = random.nextInt(SEATS);
                    // Neighbouring seats, as people buy them: heavy overlap between the 32 requests.
                    List<SeatId> wanted = IntStream.range(first, first + count)
                            .mapToObj(n -> concert.seat(n % SEATS)).toList();
                    attempts.add(new Attempt(i, wanted, Then.values()[random.nextInt(Then.values().length)]));
                }

                List<Result> results = race(pool, attempts, attempt -> run(concert, customers.get(attempt.customer()), attempt));

                for (Result result : results) {
                    if (result.session() == null) {
                        losers++;
                        assertThat(result.failure()).as("a loser is told its seats are gone")
                                .isInstanceOfAny(SeatsUnavailableException.class, PolicyViolationException.class);
                        continue;
                    }
                    winners++;
                    assertThat(result.failure()).as("after winning, %s failed", result.attempt().then()).isNull();
                    assertWinnerGotExactly(result);
                }
                SeatInvariants.assertHold(postgres.database);

                // Leftover checkouts expire; several sweepers at once claim disjoint batches.
                clock.advance(LIMITS.expiry());
                List<Result> sweeps = race(pool, List.of(1, 2, 3, 4), i -> {
                    try {
                        while (!services.checkoutExpiry().expireCheckouts(
                                new ExpireCheckoutsCommand(TicketingFixtures.SWEEPER, 3)).expired().isEmpty()) {
                            Thread.onSpinWait();
                        }
                        return new Result(null, null, null, null, null);
                    } catch (RuntimeException e) {
                        return new Result(null, null, null, null, e);
                    }
                });
                sweeps.forEach(sweep -> assertThat(sweep.failure()).as("a sweeper failed").isNull());
                SeatInvariants.assertHold(postgres.database);
                assertThat(postgres.ports.claimExpiredPaymentSessions().claimExpiredOpenSessions(clock.instant(), 100, Set.of())).isEmpty();
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(winners).as("some requests won").isPositive();
        assertThat(losers).as("the requests did overlap").isPositive();
        assertThat(deadlocks()).as("transactions lock in one order, so none deadlocks (and none needed a retry)").isZero();
        var summary = postgres.ports.loadEventSummary().loadEventSummary(concert.event().id()).orElseThrow();
        var event = postgres.ports.loadEvent().loadEvent(concert.event().id(), RowLock.NONE).orElseThrow();
        assertThat(summary).isEqualTo(io.ticketing.domain.model.EventSummary.recount(event.id(), event.currency(),
                postgres.ports.loadSeat().loadSeatsOfEvent(event.id()),
                postgres.ports.loadBooking().loadBookingsOfEvent(event.id()),
                postgres.ports.loadTicket().loadTicketsOfEvent(event.id())));
    }

    private Result run(EventWithSeats concert, Customer customer, Attempt attempt) {
        PaymentSession session;
        try {
            session = given.checkout(customer, concert, attempt.wanted());
        } catch (RuntimeException lost) {
            return new Result(attempt, null, null, null, lost);
        }
        try {
            Actor asCustomer = Actor.customer(customer.id());
            return switch (attempt.then()) {
                case KEEP_OPEN -> new Result(attempt, session, null, null, null);
                case CANCEL -> {
                    services.checkouts().cancelCheckout(new CheckoutCommand(asCustomer, session.id()));
                    yield new Result(attempt, session, null, null, null);
                }
                case PAY -> new Result(attempt, session, given.report(session, PaymentResult.SUCCEEDED), null, null);
                case PAY_AND_REFUND -> {
                    PaymentResultApplied paid = given.report(session, PaymentResult.SUCCEEDED);
                    Booking refunded = services.bookings().cancelBooking(
                            new BookingCommand(asCustomer, paid.booking().orElseThrow().id()));
                    yield new Result(attempt, session, paid, refunded, null);
                }
            };
        } catch (RuntimeException afterWinning) {
            return new Result(attempt, session, null, null, afterWinning);
        }
    }

    private void assertWinnerGotExactly(Result result) throws Exception {
        Set<SeatId> wanted = Set.copyOf(result.attempt().wanted());
        assertThat(result.session().seatIds()).containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(linkedSeats(result.session())).as("seats linked in the database").isEqualTo(wanted);
        PaymentSession stored = postgres.ports.loadPaymentSession().loadPaymentSession(result.session().id(), RowLock.NONE)
                .orElseThrow();
        assertThat(stored.seatIds()).containsExactlyElementsOf(result.session().seatIds());
        switch (result.attempt().then()) {
            case KEEP_OPEN -> assertThat(stored.status()).isEqualTo(PaymentSessionStatus.OPEN);
            case CANCEL -> assertThat(stored.status()).isEqualTo(PaymentSessionStatus.CANCELLED);
            case PAY, PAY_AND_REFUND -> {
                assertThat(stored.status()).isEqualTo(PaymentSessionStatus.SUCCEEDED);
                Booking booking = result.paid().booking().orElseThrow();
                assertThat(booking.seatIds()).containsExactlyInAnyOrderElementsOf(wanted);
                assertThat(result.paid().tickets()).extracting(Ticket::seatId).containsExactlyInAnyOrderElementsOf(wanted);
                assertThat(postgres.ports.loadBooking().loadBooking(booking.id(), RowLock.NONE).orElseThrow().status())
                        .isEqualTo(result.refunded() == null ? BookingStatus.CONFIRMED : BookingStatus.CANCELLED);
            }
        }
    }

    private long deadlocks() throws Exception {
        try (Connection connection = postgres.database.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private Set<SeatId> linkedSeats(PaymentSession session) throws Exception {
        Set<SeatId> seats = new HashSet<>();
        try (Connection connection = postgres.database.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT seat_id FROM ticketing.payment_session_seat WHERE payment_session_id = ?")) {
            statement.setObject(1, session.id().value());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    seats.add(new SeatId(rows.getObject(1, UUID.class)));
                }
            }
        }
        return seats;
    }

    private static <T> List<Result> race(ExecutorService pool, List<T> inputs, java.util.function.Function<T, Result> task)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Result>> futures = new ArrayList<>();
        for (T input : inputs) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.apply(input);
            }));
        }
        start.countDown();
        List<Result> results = new ArrayList<>();
        for (Future<Result> future : futures) {
            results.add(future.get(120, TimeUnit.SECONDS));
        }
        return results;
    }
}
