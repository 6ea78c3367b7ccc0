package io.ticketing.benchmarks;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.Event;
import io.ticketing.domain.model.EventCancellation;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.CancelEventCommand;
import io.ticketing.domain.port.in.ContinueEventCancellationCommand;
import io.ticketing.domain.port.in.FinishEventCancellationCommand;
import io.ticketing.domain.port.in.OpenCheckoutCommand;
import io.ticketing.domain.port.in.PaymentResult;
import io.ticketing.domain.port.in.RegisterCustomerCommand;
import io.ticketing.domain.service.TicketingServices;
import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.persistence.mybatis.ConnectionPool;
import io.ticketing.persistence.mybatis.adapter.MyBatisTicketingAdapter;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code cancel-event}: cancelling an event of 100,000 sold seats (50,000 bookings of two seats, each with its
 * tickets) while 16 clients keep booking on other events, through the domain's use cases and the MyBatis adapter
 * (the server's worker runs the same batches). Measures the cancellation's wall time and rows per second, each
 * batch's transaction (every lock a batch takes is held until its commit, so the longest batch is the longest
 * lock held), and the other events' booking latency before and during the cancellation. The buyers first warm
 * the JVM up, not measured, as in a server that has been selling for a while.
 */
public final class CancelEvent {

    private static final String USAGE = "cancel-event [--seats 100000] [--threads 16] [--pool 5] [--batch-size N] [--warm-up-seconds 20] [--before-seconds 15]";
    private static final Actor ADMIN = Actor.admin("benchmark");
    private static final Actor PAYMENTS = Actor.system("payment-webhook");

    private CancelEvent() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "seats", "threads", "pool", "batch-size", "warm-up-seconds", "before-seconds");
        int seats = Integer.parseInt(options.getOrDefault("seats", "100000"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
        int poolSize = Integer.parseInt(options.getOrDefault("pool", Integer.toString(ConnectionPool.DEFAULT_SIZE)));
        // Without --batch-size the batches are paced, as the server's worker and the CLI run them by default.
        Integer batchSize = options.containsKey("batch-size") ? Integer.valueOf(options.get("batch-size")) : null;
        // The buyers first warm the JVM up (its compiler, still busy with their code when the cancellation began, stalled the
        // cancellation's first batches), as a server that has been selling for a while would be; not measured.
        int warmUpSeconds = Integer.parseInt(options.getOrDefault("warm-up-seconds", "20"));
        int beforeSeconds = Integer.parseInt(options.getOrDefault("before-seconds", "15"));
        String command = Bench.command("benchmarks/run cancel-event " + String.join(" ", args));

        try (LocalPostgres server = Bench.startServer()) {
            String machine = Bench.machineLine(server);
            System.out.println(machine);
            String database = "cancel_event";
            String url = Bench.createDatabase(server, database);
            new SchemaMigrator(Bench.dataSource(server, database)).migrate();
            try (ConnectionPool pool = ConnectionPool.open(url, LocalPostgres.SUPERUSER, "", poolSize, Duration.ofSeconds(60))) {
                TicketingServices services = TicketingServices.wire(MyBatisTicketingAdapter.create(pool.dataSource(), Clock.systemUTC()));
                long started = System.nanoTime();
                Event doomed = Bench.publishedEvent(services, ADMIN, "Cancelled tour date", seats);
                long bookings = sellEveryOtherPair(server, database, doomed);
                List<Event> others = List.of(Bench.publishedEvent(services, ADMIN, "Other event A", 50_000),
                        Bench.publishedEvent(services, ADMIN, "Other event B", 50_000));
                ConcurrentLinkedQueue<Pick> free = freeSeats(services, others);
                List<Customer> buyers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    buyers.add(services.customers().registerCustomer(new RegisterCustomerCommand(ADMIN, "buyer" + i + "@example.com", "Buyer " + i)));
                }
                try (Connection c = Bench.connect(server, database)) {
                    Bench.execute(c, "VACUUM ANALYZE");
                }
                System.out.printf(Locale.ROOT, "set up in %s: event %s with %,d seats sold in %,d bookings; %d buyers on 2 other events%n",
                        Bench.seconds(Bench.millisSince(started)), doomed.id().value(), seats, bookings, threads);

                Buyers load = new Buyers(services, buyers, free);
                load.start();
                Thread.sleep(Duration.ofSeconds(warmUpSeconds).toMillis());
                load.take(); // the warm-up is not measured
                load.failures.set(0);
                Thread.sleep(Duration.ofSeconds(beforeSeconds).toMillis());
                List<Double> before = load.take();

                // The cancellation's own services, on the same pool: each of its transactions timed from the moment
                // the pool hands it a connection until it gives it back.
                HeldConnections held = new HeldConnections(pool.dataSource());
                TicketingServices canceller = TicketingServices.wire(MyBatisTicketingAdapter.create(held, Clock.systemUTC()));
                List<Double> batches = new ArrayList<>();
                List<Double> bookingBatches = new ArrayList<>();
                long cancelStarted = System.nanoTime();
                long[] batchStarted = {System.nanoTime()};
                EventCancellation[] last = {canceller.cancellations().cancelEvent(new CancelEventCommand(ADMIN, doomed.id(), "benchmark"))};
                Consumer<EventCancellation> afterBatch = progress -> {
                    batches.add(Bench.millisSince(batchStarted[0]));
                    if (progress.bookingsDone() > last[0].bookingsDone()) {
                        bookingBatches.add((double) (progress.bookingsDone() - last[0].bookingsDone()));
                    }
                    last[0] = progress;
                    batchStarted[0] = System.nanoTime();
                };
                afterBatch.accept(last[0]);
                if (batchSize == null) {
                    canceller.cancellations().finishEventCancellation(new FinishEventCancellationCommand(ADMIN, doomed.id()), afterBatch);
                } else {
                    while (!last[0].isDone()) {
                        afterBatch.accept(canceller.cancellations().continueEventCancellation(
                                new ContinueEventCancellationCommand(ADMIN, doomed.id(), batchSize)));
                    }
                }
                EventCancellation progress = last[0];
                double wall = Bench.millisSince(cancelStarted);
                List<Double> transactions = held.take();
                List<Double> during = load.take();
                load.stop();

                String checks = check(server, database, doomed, others);
                String doc = document(machine, command, seats, bookings, threads, poolSize, batchSize, warmUpSeconds, beforeSeconds, progress,
                        wall, batches, bookingBatches, transactions, before, during, load.failures.get(), checks);
                System.out.println();
                System.out.println(doc);
                Bench.writeSection("cancel-event", doc);
            }
        }
    }

    /**
     * Every seat of the event sold, two to a confirmed booking with a VALID ticket each, written set-based (as a
     * migrated event's would be), then the event's summary recounted; the guards check the same rows with `maintain`.
     */
    private static long sellEveryOtherPair(LocalPostgres server, String database, Event event) throws Exception {
        String id = event.id().value().toString();
        try (Connection c = Bench.connect(server, database)) {
            c.setAutoCommit(false);
            Bench.execute(c, "SET LOCAL ticketing.check_invariants = off");
            Bench.execute(c, """
                    INSERT INTO ticketing.customer (id, email, name)
                    SELECT gen_random_uuid(), 'fan' || g || '@example.com', 'Fan ' || g FROM generate_series(1, 5000) g""");
            Bench.execute(c, """
                    CREATE TEMP TABLE pairing ON COMMIT DROP AS
                    SELECT s.id AS seat_id, (row_number() OVER (ORDER BY s.section, s."row", s.number) + 1) / 2 AS pair, s.price
                      FROM ticketing.seat s WHERE s.event_id = '%s'""".formatted(id));
            Bench.execute(c, """
                    CREATE TEMP TABLE sale ON COMMIT DROP AS
                    SELECT p.pair, gen_random_uuid() AS booking_id,
                           (SELECT array_agg(id ORDER BY email) FROM ticketing.customer WHERE email LIKE 'fan%')[1 + p.pair % 5000] AS customer_id,
                           sum(p.price) AS total
                      FROM pairing p GROUP BY p.pair""");
            Bench.execute(c, """
                    INSERT INTO ticketing.booking (event_id, id, customer_id, total_amount, status, confirmed_at)
                    SELECT '%s', booking_id, customer_id, total, 'CONFIRMED', now() FROM sale""".formatted(id));
            Bench.execute(c, """
                    INSERT INTO ticketing.booked_seat (event_id, booking_id, seat_id, price)
                    SELECT '%s', s.booking_id, p.seat_id, p.price FROM pairing p JOIN sale s USING (pair)""".formatted(id));
            Bench.execute(c, """
                    UPDATE ticketing.seat SET status = 'BOOKED' WHERE event_id = '%s'""".formatted(id));
            Bench.execute(c, """
                    INSERT INTO ticketing.ticket (event_id, booking_id, seat_id, customer_id, code)
                    SELECT '%s', s.booking_id, p.seat_id, s.customer_id, md5(p.seat_id::text)
                      FROM pairing p JOIN sale s USING (pair)""".formatted(id));
            Bench.execute(c, "SELECT ticketing.repair_event_summary('%s')".formatted(id));
            c.commit();
            return Bench.count(c, "SELECT count(*) FROM ticketing.booking WHERE event_id = '" + id + "'");
        }
    }

    record Pick(Event event, SeatId seat) {
    }

    private static ConcurrentLinkedQueue<Pick> freeSeats(TicketingServices services, List<Event> events) {
        List<Pick> picks = new ArrayList<>();
        for (Event event : events) {
            Bench.availableSeats(services, ADMIN, event.id()).forEach(seat -> picks.add(new Pick(event, seat)));
        }
        Collections.shuffle(picks, new Random(1));
        return new ConcurrentLinkedQueue<>(picks);
    }

    /** Buyers booking one or two seats of the other events, back to back, until stopped; latency = checkout + payment. */
    static final class Buyers {
        private final TicketingServices services;
        private final List<Customer> customers;
        private final ConcurrentLinkedQueue<Pick> free;
        private final List<Double> latencies = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong failures = new AtomicLong();
        private final AtomicBoolean soldOut = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Buyers(TicketingServices services, List<Customer> customers, ConcurrentLinkedQueue<Pick> free) {
            this.services = services;
            this.customers = customers;
            this.free = free;
        }

        void start() {
            for (Customer customer : customers) {
                Thread buyer = new Thread(() -> {
                    Random random = new Random(customer.id().value().hashCode());
                    while (running.get()) {
                        Pick first = free.poll();
                        if (first == null) { // the load would drop unnoticed: the run is void
                            soldOut.set(true);
                            return;
                        }
                        List<SeatId> seats = new ArrayList<>(List.of(first.seat()));
                        Pick second = random.nextBoolean() ? free.poll() : null;
                        if (second != null && second.event().equals(first.event())) {
                            seats.add(second.seat());
                        }
                        long began = System.nanoTime();
                        try {
                            PaymentSession checkout = services.checkouts().openCheckout(
                                    OpenCheckoutCommand.byCustomer(customer.id(), first.event().id(), seats));
                            services.paymentResults().applyPaymentResult(new ApplyPaymentResultCommand(PAYMENTS, checkout.id(),
                                    PaymentResult.SUCCEEDED, "pi_" + UUID.randomUUID(), checkout.amount()));
                            latencies.add(Bench.millisSince(began));
                        } catch (RuntimeException e) {
                            if (failures.incrementAndGet() <= 3) {
                                System.out.println("booking failed: " + e);
                            }
                        }
                    }
                }, "buyer-" + customer.email());
                threads.add(buyer);
                buyer.start();
            }
        }

        /** The latencies since the last take; refuses a run whose buyers ran out of seats. */
        synchronized List<Double> take() {
            if (soldOut.get()) {
                throw new IllegalStateException("the other events sold out, and the buyers stopped: fewer --threads or a shorter run");
            }
            List<Double> taken = new ArrayList<>(latencies);
            latencies.removeAll(taken);
            return taken;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    private static String check(LocalPostgres server, String database, Event doomed, List<Event> others) throws Exception {
        String id = doomed.id().value().toString();
        try (Connection c = Bench.connect(server, database)) {
            return ("the cancelled event: %d bookings not CANCELLED, %d VALID tickets, %d seats not BLOCKED, %d refunds requested; "
                    + "other events: %d confirmed bookings; %d events whose summary differs from a recount").formatted(
                    Bench.count(c, "SELECT count(*) FROM ticketing.booking WHERE event_id = '" + id + "' AND status <> 'CANCELLED'"),
                    Bench.count(c, "SELECT count(*) FROM ticketing.ticket WHERE event_id = '" + id + "' AND status = 'VALID'"),
                    Bench.count(c, "SELECT count(*) FROM ticketing.seat WHERE event_id = '" + id + "' AND status <> 'BLOCKED'"),
                    Bench.count(c, "SELECT count(*) FROM ticketing.refund_request WHERE event_id = '" + id + "'"),
                    Bench.count(c, "SELECT count(*) FROM ticketing.booking WHERE event_id <> '" + id + "' AND status = 'CONFIRMED'"),
                    Bench.count(c, "SELECT count(*) FROM ticketing.event_summary_drift"));
        }
    }

    private static String document(String machine, String command, int seats, long bookings, int threads, int pool, Integer batchSize,
                                   int warmUpSeconds, int beforeSeconds, EventCancellation done, double wallMillis, List<Double> batches,
                                   List<Double> bookingBatches, List<Double> transactions,
                                   List<Double> before, List<Double> during, long failures, String checks) {
        long rows = done.bookingsDone() + done.checkoutsDone() + done.seatsDone() + done.refundsRequested() + 2 * bookings; // + tickets
        double longest = transactions.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<Double> batchTransactions = transactions.isEmpty() ? List.of() : transactions.subList(1, transactions.size());
        double p99Before = Bench.percentile(before, 99);
        double p99During = Bench.percentile(during, 99);
        String longestVerdict = longest <= 200 ? "met" : "**not met**";
        String p99Verdict = p99During <= 2 * p99Before ? "met" : "**not met**";
        return """
                ## Cancelling an event of %,d sold seats while other events sell (issue 17)

                ```
                %s
                ```

                %s. Server settings: %s.

                One event with %,d seats, all sold: %,d confirmed bookings of two seats, each seat with a VALID ticket
                (written set-based, then the summary recounted). %d client threads, each its own customer, book 1–2 seats
                of two other events through the domain's use cases and the MyBatis adapter (checkout, then payment), back
                to back. After %d s of that to warm the JVM up (not measured) and %d s more (before), `cancelEvent` and then %s until it is done, on the same pool of %d
                connections as the buyers.
                A batch writes set-based, one statement per step for all its bookings (the bookings with their seat
                claims, their VALID tickets, their refund requests, the checkouts still paying, the seats to BLOCKED);
                every row it changes is still audited and checked by the seat rules at commit.
                A batch is one transaction that holds every lock it takes until it commits: the time it holds its
                pooled connection (from the moment the pool hands it over until it is given back after the commit)
                bounds the longest lock the cancellation holds. A batch's wall time adds the wait for a free connection
                of the pool, during which it holds no lock.

                %s

                After: %s.
                """.formatted(seats, command, machine, Bench.settings(), seats, bookings, threads, warmUpSeconds, beforeSeconds, batchSize == null
                        ? "`finishEventCancellation`, as the server's worker and `cancel-event` run it: each batch sized to hold its "
                        + "locks about " + FinishEventCancellationCommand.DEFAULT_BATCH_BUDGET.toMillis() + " ms by the time the "
                        + "batches before it took per booking (the first takes 8)"
                        : "`continueEventCancellation` with batches of " + batchSize + " (`cancel-event --batch-size " + batchSize + "`)", pool,
                Bench.table(List.of("what", "result", "goal", ""), List.of(
                        List.of("cancellation wall time", Bench.seconds(wallMillis), "", ""),
                        List.of("bookings cancelled / refunds requested / seats blocked", "%,d / %,d / %,d".formatted(
                                done.bookingsDone(), done.refundsRequested(), done.seatsDone()), "", ""),
                        List.of("rows changed per second (bookings, tickets, seats, refunds)", Bench.perSecond(rows, wallMillis), "", ""),
                        List.of("batches (transactions)", Integer.toString(batches.size()), "", ""),
                        List.of("bookings per batch p50 / min / max", String.format(Locale.ROOT, "%.0f", Bench.median(bookingBatches)) + " / "
                                + (long) bookingBatches.stream().mapToDouble(Double::doubleValue).min().orElse(0) + " / "
                                + (long) bookingBatches.stream().mapToDouble(Double::doubleValue).max().orElse(0), "", ""),
                        List.of("batch wall time (with the wait for a connection) p50 / p99 / max", Bench.ms(Bench.median(batches))
                                + " / " + Bench.ms(Bench.percentile(batches, 99)) + " / " + Bench.ms(batches.stream()
                                .mapToDouble(Double::doubleValue).max().orElse(0)), "", ""),
                        List.of("batch transaction (connection held) p50 / p99 / max", Bench.ms(Bench.median(batchTransactions)) + " / "
                                + Bench.ms(Bench.percentile(batchTransactions, 99)) + " / " + Bench.ms(batchTransactions.stream()
                                .mapToDouble(Double::doubleValue).max().orElse(0)), "", ""),
                        List.of("the first transaction (the event CANCELLED, its work counted)", transactions.isEmpty() ? "none"
                                : Bench.ms(transactions.get(0)), "", ""),
                        List.of("longest transaction = longest lock held", Bench.ms(longest), "≤ 200 ms", longestVerdict),
                        List.of("other events' bookings before: count, p50 / p99", "%,d, %s / %s".formatted(before.size(),
                                Bench.ms(Bench.median(before)), Bench.ms(p99Before)), "", ""),
                        List.of("other events' bookings during: count, p50 / p99", "%,d, %s / %s".formatted(during.size(),
                                Bench.ms(Bench.median(during)), Bench.ms(p99During)), "", ""),
                        List.of("p99 during / p99 before", Bench.ratio(p99During / p99Before), "≤ 2×", p99Verdict),
                        List.of("failed bookings", Long.toString(failures), "0", failures == 0 ? "met" : "**not met**"))),
                checks);
    }
}
