package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Booking;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.DomainException;
import io.ticketing.domain.model.EventSummary;
import io.ticketing.domain.model.LifecycleState;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.Seat;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.Ticket;
import io.ticketing.domain.model.TicketStatus;
import io.ticketing.domain.policy.CheckoutLimits;
import io.ticketing.domain.port.in.AddSeatsToSessionCommand;
import io.ticketing.domain.port.in.BookingCommand;
import io.ticketing.domain.port.in.CheckInCommand;
import io.ticketing.domain.port.in.CheckoutCommand;
import io.ticketing.domain.port.in.EventQuery;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.SeatAdminCommand;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.TicketingPorts;
import io.ticketing.domain.testing.contract.MutableClock;
import io.ticketing.domain.testing.contract.TicketingFixtures;
import io.ticketing.domain.testing.contract.TicketingFixtures.EventWithSeats;
import io.ticketing.domain.testing.inmemory.InMemoryTicketingAdapter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.ticketing.domain.testing.contract.TicketingFixtures.ADMIN;
import static io.ticketing.domain.testing.contract.TicketingFixtures.DOOR_STAFF;
import static io.ticketing.domain.testing.contract.TicketingFixtures.SWEEPER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of every customer, admin, provider and sweeper operation. Refusals are fine; what
 * must never happen: a status change the tables forbid, a seat held or sold twice, a seat whose status
 * disagrees with the checkout or booking that owns it, or counters that disagree with what succeeded.
 */
class TicketingStateMachineTest {

    private static final int SEATS = 8;
    private static final int CUSTOMERS = 3;

    @Property(tries = 300)
    void random_operations_never_break_an_invariant(@ForAll("operations") List<Operation> operations) {
        World world = new World();
        for (Operation operation : operations) {
            world.attempt(operation);
            world.assertInvariants(operation);
        }
        // Guards the generator: if almost no run ever got as far as a paid booking, the invariants prove little.
        Statistics.label("paid bookings").collect(world.paid.isEmpty() ? "none" : "some");
        Statistics.label("refunds").collect(world.refunded.isEmpty() ? "none" : "some");
        Statistics.label("paid bookings").coverage(coverage -> coverage.check("some").percentage(p -> p >= 50));
        Statistics.label("refunds").coverage(coverage -> coverage.check("some").percentage(p -> p >= 15));
    }

    @Provide
    Arbitrary<List<Operation>> operations() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 30);
        Arbitrary<List<Integer>> seats = Arbitraries.integers().between(0, SEATS - 1).set().ofMinSize(1).ofMaxSize(3)
                .map(ArrayList::new);
        Arbitrary<Integer> customer = Arbitraries.integers().between(0, CUSTOMERS - 1);
        // Weighted towards the happy path, so that most runs get as far as payments, refunds and check-ins.
        Arbitrary<Operation> operation = Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(customer, seats).as(OpenCheckout::new)),
                Tuple.of(2, Combinators.combine(pick, seats).as(AddSeats::new)),
                Tuple.of(1, pick.map(CancelCheckout::new)),
                Tuple.of(6, Combinators.combine(pick, Arbitraries.frequency(
                        Tuple.of(4, PaymentResult.SUCCEEDED), Tuple.of(1, PaymentResult.PROCESSING), Tuple.of(1, PaymentResult.FAILED))).as(ReportPayment::new)),
                Tuple.of(2, Arbitraries.integers().between(1, 20).map(AdvanceClock::new)),
                Tuple.of(2, Arbitraries.just(new ExpireCheckouts())),
                Tuple.of(2, pick.map(CancelBooking::new)),
                Tuple.of(2, pick.map(CheckIn::new)),
                Tuple.of(1, seats.map(Block::new)),
                Tuple.of(1, seats.map(Unblock::new)));
        return operation.list().ofMinSize(10).ofMaxSize(60);
    }

    interface Operation {
        void run(World world);
    }

    record OpenCheckout(int customer, List<Integer> seats) implements Operation {
        public void run(World world) {
            world.sessions.add(world.given.checkout(world.customers.get(customer), world.event, world.seatIds(seats)).id());
        }
    }

    record AddSeats(int session, List<Integer> seats) implements Operation {
        public void run(World world) {
            PaymentSession held = world.session(session);
            world.services.checkouts().addSeatsToSession(new AddSeatsToSessionCommand(Actor.customer(held.customerId()),
                    held.id(), world.seatIds(seats)));
        }
    }

    record CancelCheckout(int session) implements Operation {
        public void run(World world) {
            PaymentSession held = world.session(session);
            world.services.checkouts().cancelCheckout(new CheckoutCommand(Actor.customer(held.customerId()), held.id()));
        }
    }

    record ReportPayment(int session, PaymentResult result) implements Operation {
        public void run(World world) {
            PaymentResultApplied applied = world.given.report(world.session(session), result);
            applied.booking().filter(booking -> booking.status() == BookingStatus.CONFIRMED)
                    .ifPresent(booking -> world.paid.put(booking.id(), booking));
            // Paid after its checkout had ended (expired, cancelled, failed): paid and refunded at once.
            applied.booking().filter(Booking::isRefunded).ifPresent(booking -> {
                world.paid.putIfAbsent(booking.id(), booking);
                world.refunded.putIfAbsent(booking.id(), booking);
            });
        }
    }

    record AdvanceClock(int minutes) implements Operation {
        public void run(World world) {
            world.clock.advance(Duration.ofMinutes(minutes));
        }
    }

    record ExpireCheckouts() implements Operation {
        public void run(World world) {
            world.services.checkoutExpiry().expireCheckouts(new ExpireCheckoutsCommand(SWEEPER, 100)).expired();
        }
    }

    record CancelBooking(int booking) implements Operation {
        public void run(World world) {
            Booking cancelled = world.services.bookings().cancelBooking(new BookingCommand(ADMIN, world.paidBooking(booking)));
            world.refunded.put(cancelled.id(), cancelled);
        }
    }

    record CheckIn(int ticket) implements Operation {
        public void run(World world) {
            List<Ticket> tickets = world.ports.loadTicket().loadTicketsOfEvent(world.event.event().id());
            if (!tickets.isEmpty()) {
                world.services.checkIn().checkIn(new CheckInCommand(DOOR_STAFF, world.event.event().id(),
                        tickets.get(ticket % tickets.size()).code()));
                world.checkedIn++;
            }
        }
    }

    record Block(List<Integer> seats) implements Operation {
        public void run(World world) {
            world.services.seats().blockSeats(new SeatAdminCommand(ADMIN, world.event.event().id(), world.seatIds(seats)));
            world.blocked.addAll(world.seatIds(seats));
        }
    }

    record Unblock(List<Integer> seats) implements Operation {
        public void run(World world) {
            world.services.seats().unblockSeats(new SeatAdminCommand(ADMIN, world.event.event().id(), world.seatIds(seats)));
            world.seatIds(seats).forEach(world.blocked::remove);
        }
    }

    /** The system under test plus a ledger of what succeeded, which the counters must agree with. */
    static final class World {
        final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
        final TicketingPorts ports = InMemoryTicketingAdapter.newPorts(clock);
        final TicketingServices services = TicketingServices.wire(ports, new CheckoutLimits(Duration.ofMinutes(15), 4, 2));
        final TicketingFixtures given = new TicketingFixtures(services, clock);
        final EventWithSeats event = given.publishedEventWithSeats(SEATS, Duration.ofDays(10));
        final List<Customer> customers = List.of(given.customer(), given.customer(), given.customer());
        final List<PaymentSessionId> sessions = new ArrayList<>();
        final Map<BookingId, Booking> paid = new LinkedHashMap<>();
        final Map<BookingId, Booking> refunded = new HashMap<>();
        final Set<SeatId> blocked = new HashSet<>();
        long checkedIn;
        Map<Object, Enum<?>> lastStatuses = Map.of();

        void attempt(Operation operation) {
            try {
                operation.run(this);
            } catch (DomainException refusedByTheRules) {
                // refusals are part of the game; IllegalStateException (broken invariant) is not caught
            } catch (NothingToPick nothing) {
                // the operation needs an entity that does not exist yet
            }
        }

        List<SeatId> seatIds(List<Integer> indexes) {
            return indexes.stream().map(event::seat).toList();
        }

        PaymentSession session(int index) {
            if (sessions.isEmpty()) {
                throw new NothingToPick();
            }
            return ports.loadPaymentSession().loadPaymentSession(sessions.get(index % sessions.size()), RowLock.NONE).orElseThrow();
        }

        BookingId paidBooking(int index) {
            if (paid.isEmpty()) {
                throw new NothingToPick();
            }
            return new ArrayList<>(paid.keySet()).get(index % paid.size());
        }

        void assertInvariants(Operation after) {
            var eventId = event.event().id();
            List<Seat> seats = ports.loadSeat().loadSeatsOfEvent(eventId);
            List<PaymentSession> allSessions = sessions.stream()
                    .map(id -> ports.loadPaymentSession().loadPaymentSession(id, RowLock.NONE).orElseThrow()).toList();
            List<Booking> bookings = ports.loadBooking().loadBookingsOfEvent(eventId);
            List<Ticket> tickets = ports.loadTicket().loadTicketsOfEvent(eventId);

            assertOnlyAllowedTransitions(after, seats, allSessions, bookings, tickets);

            Map<SeatId, Long> heldBy = allSessions.stream().filter(s -> s.status().holdsSeats())
                    .flatMap(s -> s.seatIds().stream()).collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            Map<SeatId, Long> soldBy = bookings.stream().filter(b -> b.status() == BookingStatus.CONFIRMED)
                    .flatMap(b -> b.seatIds().stream()).collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            Map<SeatId, Long> liveTickets = tickets.stream()
                    .filter(t -> t.status() == TicketStatus.VALID || t.status() == TicketStatus.USED)
                    .collect(Collectors.groupingBy(Ticket::seatId, Collectors.counting()));
            for (Seat seat : seats) {
                long holders = heldBy.getOrDefault(seat.id(), 0L);
                long buyers = soldBy.getOrDefault(seat.id(), 0L);
                assertThat(holders).as("checkouts holding %s after %s", seat.id(), after).isLessThanOrEqualTo(1);
                assertThat(buyers).as("bookings that sold %s after %s", seat.id(), after).isLessThanOrEqualTo(1);
                assertThat(liveTickets.getOrDefault(seat.id(), 0L)).as("live tickets of %s", seat.id()).isEqualTo(buyers);
                SeatStatus expected = holders == 1 ? SeatStatus.RESERVED : buyers == 1 ? SeatStatus.BOOKED
                        : blocked.contains(seat.id()) ? SeatStatus.BLOCKED : SeatStatus.AVAILABLE;
                assertThat(seat.status()).as("status of %s after %s", seat.id(), after).isEqualTo(expected);
            }

            Money zero = Money.zero(event.event().currency());
            List<Booking> standing = paid.values().stream().filter(b -> !refunded.containsKey(b.id())).toList();
            long seatsSold = standing.stream().mapToLong(b -> b.seats().size()).sum();
            EventSummary summary = services.statistics().getEventStats(new EventQuery(ADMIN, eventId)).orElseThrow();
            assertThat(summary).as("counters after %s", after).isEqualTo(new EventSummary(eventId,
                    SEATS - heldBy.size() - seatsSold - blocked.size(), heldBy.size(), seatsSold, blocked.size(),
                    standing.size(), seatsSold, checkedIn,
                    paid.values().stream().map(Booking::total).reduce(zero, Money::plus),
                    refunded.values().stream().map(Booking::total).reduce(zero, Money::plus)));
        }

        private void assertOnlyAllowedTransitions(Operation after, List<Seat> seats, List<PaymentSession> sessions,
                                                  List<Booking> bookings, List<Ticket> tickets) {
            Map<Object, Enum<?>> statuses = new HashMap<>();
            seats.forEach(s -> statuses.put(s.id(), s.status()));
            sessions.forEach(s -> statuses.put(s.id(), s.status()));
            bookings.forEach(b -> statuses.put(b.id(), b.status()));
            tickets.forEach(t -> statuses.put(t.id(), t.status()));
            statuses.forEach((id, now) -> {
                Enum<?> before = lastStatuses.get(id);
                if (before != null && before != now) {
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    boolean allowed = ((LifecycleState) before).canBecome(now);
                    assertThat(allowed).as("%s went %s -> %s during %s", id, before, now, after).isTrue();
                }
            });
            lastStatuses = statuses;
        }
    }

    static final class NothingToPick extends RuntimeException {
    }
}
