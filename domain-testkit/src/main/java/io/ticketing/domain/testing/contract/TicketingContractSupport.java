package io.ticketing.domain.testing.contract;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.service.TicketingServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the port contract suite. An adapter passes the suite by extending each contract class and
 * returning, from {@link #createPorts}, fresh ports over empty storage whose {@code clock()} is the given clock.
 */
public abstract class TicketingContractSupport {

    protected static final Instant START = Instant.parse("2030-01-15T10:00:00Z");
    protected static final CheckoutLimits LIMITS = new CheckoutLimits(Duration.ofMinutes(15), 10, 3);

    protected MutableClock clock;
    protected TicketingPorts ports;
    protected TicketingServices services;
    protected TicketingFixtures given;

    /** Fresh ports over empty storage, using {@code clock} as {@link TicketingPorts#clock()}. */
    protected abstract TicketingPorts createPorts(Clock clock);

    /** Closes what {@link #createPorts} opened (connections, embedded databases); nothing by default. */
    protected void releasePorts(TicketingPorts ports) {
    }

    @BeforeEach
    void createFreshPorts() {
        clock = new MutableClock(START);
        ports = createPorts(clock);
        assertThat(ports.clock()).as("createPorts must use the clock it is given").isSameAs(clock);
        services = TicketingServices.wire(ports, LIMITS);
        given = new TicketingFixtures(services, clock);
    }

    @AfterEach
    void releaseThePortsOfThisTest() {
        releasePorts(ports);
    }

    protected <T> T inUnitOfWork(Actor actor, Callable<T> work) {
        return ports.unitOfWork().inUnitOfWork(actor, () -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    protected Map<SeatId, SeatStatus> seatStatuses(EventId eventId) {
        return ports.loadSeat().loadSeatsOfEvent(eventId).stream().collect(Collectors.toMap(Seat::id, Seat::status));
    }

    protected SeatStatus statusOf(EventId eventId, SeatId seatId) {
        return seatStatuses(eventId).get(seatId);
    }

    protected EventSummary summaryOf(EventId eventId) {
        return ports.loadEventSummary().loadEventSummary(eventId).orElseThrow();
    }

    /** What the triggers must keep the summary equal to, recounted from the entities through the ports. */
    protected EventSummary recountOf(EventId eventId) {
        var event = ports.loadEvent().loadEvent(eventId, RowLock.NONE).orElseThrow();
        return EventSummary.recount(eventId, event.currency(), ports.loadSeat().loadSeatsOfEvent(eventId),
                ports.loadBooking().loadBookingsOfEvent(eventId), ports.loadTicket().loadTicketsOfEvent(eventId));
    }

    /**
     * Runs every task at once (released together by a latch) on its own thread and returns their outcomes
     * in task order: the value, or the exception a task threw.
     */
    protected static <T, R> List<Outcome<R>> race(Collection<T> inputs, Function<T, R> task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(inputs.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<R>> futures = inputs.stream().map(input -> pool.submit(() -> {
                start.await();
                return task.apply(input);
            })).toList();
            start.countDown();
            return futures.stream().map(Outcome::of).toList();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("racing tasks finished").isTrue();
        }
    }

    protected record Outcome<R>(R value, Throwable failure) {

        static <R> Outcome<R> of(Future<R> future) {
            try {
                return new Outcome<>(future.get(60, TimeUnit.SECONDS), null);
            } catch (ExecutionException e) {
                return new Outcome<>(null, e.getCause());
            } catch (Exception e) {
                throw new IllegalStateException("a racing task did not finish", e);
            }
        }

        public boolean succeeded() {
            return failure == null;
        }
    }
}
