package io.ticketing.benchmarks;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The legacy (Prisma) application, still serving while the import runs: a few threads, each on its
 * own connection with autocommit off, running the app's transactions one after another with a short
 * pause between them. Each thread owns its own seats and bookings (handed out by {@link #prepare}),
 * so the threads never wait for one another: any transaction that waits or fails does so because of
 * the import. The transactions touch the tables in different orders:
 * <ul>
 *   <li><b>sell</b>: read a free seat, INSERT "Booking" (seats: a JSON array of its id), UPDATE "Seat"
 *       to 'booked', INSERT "Ticket" (Booking → Seat → Ticket);</li>
 *   <li><b>cancel</b> a confirmed booking (one it sold, or one of the generated data): UPDATE its
 *       tickets to 'cancelled', UPDATE "Booking" to 'cancelled', UPDATE its seats to 'available'
 *       (Ticket → Booking → Seat); the seats go back to the thread's free seats, to be sold again;</li>
 *   <li><b>check-in</b> of a valid ticket: UPDATE "Ticket" to 'used', then touch its booking's
 *       updatedAt (Ticket → Booking).</li>
 * </ul>
 * Every transaction is timed from its first statement to the end of its commit.
 */
final class LegacyWriters {

    /** One legacy transaction: what it did, when it started and ended (System.nanoTime), and its SQLState when it failed. */
    record Tx(String kind, long startNanos, long endNanos, String failedState, String failure) {
        double millis() {
            return (endNanos - startNanos) / 1e6;
        }

        boolean failed() {
            return failure != null;
        }
    }

    record Seat(String id, String eventId, BigDecimal price) {
    }

    record Booking(String id, List<Seat> seats, List<String> ticketIds) {
    }

    /** What one thread owns: free seats to sell, confirmed bookings to cancel, valid tickets to check in. */
    static final class Pool {
        final Deque<Seat> freeSeats = new ArrayDeque<>();
        final List<Booking> bookings = new ArrayList<>();
        final List<String> validTickets = new ArrayList<>();
        final List<String> users = new ArrayList<>();
    }

    private final Server server;
    private final String database;
    private final List<Pool> pools;
    private final long pauseMillis;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Tx> transactions = Collections.synchronizedList(new ArrayList<>());

    LegacyWriters(Server server, String database, List<Pool> pools, long pauseMillis) {
        this.server = server;
        this.database = database;
        this.pools = pools;
        this.pauseMillis = pauseMillis;
    }

    /**
     * Hands out the legacy app's material, one pool per thread, from the seats of {@code events}
     * published events (an on-sale concentrates on a few): free seats (status 'available', in no
     * booking's JSON, no checkout, no ticket), confirmed bookings whose seats no other booking lists,
     * are all 'booked' and of the booking's event, with only valid tickets; plus users to sell to.
     * Sampled in a fixed order (md5 of the id).
     */
    static List<Pool> prepare(Connection c, int threads, int events, int seatsPerThread, int bookingsPerThread) throws SQLException {
        List<Pool> pools = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            pools.add(new Pool());
        }
        Bench.execute(c, "CREATE TEMP TABLE hot AS SELECT id FROM public.\"Event\" WHERE status = 'PUBLISHED' ORDER BY md5(id) LIMIT " + events);
        Bench.execute(c, """
                CREATE TEMP TABLE listed AS
                SELECT b.id AS booking_id, x.seat_id FROM public."Booking" b
                 CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(b.seats) = 'array' THEN b.seats ELSE '[]' END) e
                 CROSS JOIN LATERAL (SELECT e #>> '{}' AS seat_id) x""");
        Bench.execute(c, "CREATE TEMP TABLE shared AS SELECT seat_id FROM listed GROUP BY seat_id HAVING count(*) > 1");
        Bench.execute(c, "ANALYZE hot; ANALYZE listed; ANALYZE shared");
        List<Object[]> seats = Bench.rows(c, """
                SELECT s.id, s."eventId", s.price FROM public."Seat" s
                 WHERE s.status = 'available' AND s."eventId" IN (SELECT id FROM hot)
                   AND NOT EXISTS (SELECT 1 FROM listed l WHERE l.seat_id = s.id)
                   AND NOT EXISTS (SELECT 1 FROM public."_PaymentSessionToSeat" j WHERE j."B" = s.id)
                   AND NOT EXISTS (SELECT 1 FROM public."Ticket" t WHERE t."seatId" = s.id)
                 ORDER BY md5(s.id) LIMIT ?""", threads * seatsPerThread);
        for (int i = 0; i < seats.size(); i++) {
            Object[] s = seats.get(i);
            pools.get(i % threads).freeSeats.add(new Seat((String) s[0], (String) s[1], (BigDecimal) s[2]));
        }
        List<Object[]> bookings = Bench.rows(c, """
                WITH b AS (SELECT b.id, b."eventId" AS event_id, array_agg(l.seat_id ORDER BY l.seat_id) AS seats, min(s.price) AS price
                             FROM public."Booking" b JOIN listed l ON l.booking_id = b.id
                             JOIN public."Seat" s ON s.id = l.seat_id LEFT JOIN shared x ON x.seat_id = l.seat_id
                            WHERE b.status = 'confirmed' AND b."eventId" IN (SELECT id FROM hot)
                            GROUP BY b.id, b."eventId"
                           HAVING bool_and(s.status = 'booked' AND s."eventId" = b."eventId" AND x.seat_id IS NULL)),
                     t AS (SELECT t."bookingId" AS booking_id, array_agg(t.id ORDER BY t.id) AS ids, bool_and(t.status = 'valid') AS valid
                             FROM public."Ticket" t WHERE t."bookingId" IN (SELECT id FROM b) GROUP BY t."bookingId")
                SELECT b.id, b.event_id, b.seats, t.ids, b.price FROM b LEFT JOIN t ON t.booking_id = b.id
                 WHERE t.valid IS NOT FALSE
                 ORDER BY md5(b.id) LIMIT ?""", threads * bookingsPerThread);
        for (int i = 0; i < bookings.size(); i++) {
            Object[] b = bookings.get(i);
            List<String> tickets = b[3] == null ? List.of() : List.of((String[]) ((java.sql.Array) b[3]).getArray());
            Pool pool = pools.get(i % threads);
            List<Seat> bookingSeats = new ArrayList<>();
            for (String seat : (String[]) ((java.sql.Array) b[2]).getArray()) {
                bookingSeats.add(new Seat(seat, (String) b[1], (BigDecimal) b[4]));
            }
            pool.bookings.add(new Booking((String) b[0], bookingSeats, new ArrayList<>(tickets)));
            pool.validTickets.addAll(tickets);
        }
        List<Object[]> users = Bench.rows(c, "SELECT id FROM public.\"User\" ORDER BY md5(id) LIMIT 1000");
        for (int i = 0; i < users.size(); i++) {
            pools.get(i % threads).users.add((String) users.get(i)[0]);
        }
        Bench.execute(c, "DROP TABLE hot, listed, shared");
        System.out.printf("legacy app: %d events, %d free seats, %d confirmed bookings to cancel, their valid tickets to check in%n",
                events, seats.size(), bookings.size());
        return pools;
    }

    void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already running");
        }
        for (int i = 0; i < pools.size(); i++) {
            Pool pool = pools.get(i);
            long seed = 7919L * (i + 1) + threads.size();
            Thread thread = new Thread(() -> loop(pool, new Random(seed)), "legacy-app-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the threads after their current transaction. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        threads.clear();
    }

    /** Every transaction so far, in no particular order. */
    List<Tx> transactions() {
        synchronized (transactions) {
            return List.copyOf(transactions);
        }
    }

    int threads() {
        return pools.size();
    }

    long pauseMillis() {
        return pauseMillis;
    }

    private void loop(Pool pool, Random random) {
        try (Connection c = server.connect(database)) {
            c.setAutoCommit(false);
            while (running.get()) {
                int dice = random.nextInt(4);
                String kind = dice <= 1 && !pool.freeSeats.isEmpty() ? "sell"
                        : dice == 2 && !pool.bookings.isEmpty() ? "cancel"
                        : !pool.validTickets.isEmpty() ? "check-in"
                        : !pool.freeSeats.isEmpty() ? "sell" : "cancel";
                if (kind.equals("cancel") && pool.bookings.isEmpty()) {
                    break;
                }
                long started = System.nanoTime();
                try {
                    switch (kind) {
                        case "sell" -> sell(c, pool, random);
                        case "cancel" -> cancel(c, pool, random);
                        default -> checkIn(c, pool, random);
                    }
                    transactions.add(new Tx(kind, started, System.nanoTime(), null, null));
                } catch (SQLException | RuntimeException e) {
                    long ended = System.nanoTime();
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the connection is gone: the next transaction fails too, and says so
                    }
                    transactions.add(new Tx(kind, started, ended, e instanceof SQLException sql ? sql.getSQLState() : "-",
                            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("")));
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (SQLException e) {
            transactions.add(new Tx("connect", System.nanoTime(), System.nanoTime(), e.getSQLState(), e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sell(Connection c, Pool pool, Random random) throws SQLException {
        Seat seat = pool.freeSeats.poll();
        String user = pool.users.get(random.nextInt(pool.users.size()));
        try {
            List<Object[]> found = Bench.rows(c, "SELECT status FROM public.\"Seat\" WHERE id = ?", seat.id());
            if (found.isEmpty() || !"available".equals(found.get(0)[0])) {
                throw new IllegalStateException("seat " + seat.id() + " is not free: " + (found.isEmpty() ? "gone" : found.get(0)[0]));
            }
            String booking = UUID.randomUUID().toString();
            String ticket = cuid();
            update(c, """
                    INSERT INTO public."Booking" (id, "userId", "eventId", seats, "totalAmount", status, "updatedAt")
                    VALUES (?, ?, ?, jsonb_build_array(?::text), ?, 'confirmed', CURRENT_TIMESTAMP)""",
                    booking, user, seat.eventId(), seat.id(), seat.price());
            update(c, "UPDATE public.\"Seat\" SET status = 'booked', \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = ?", seat.id());
            update(c, """
                    INSERT INTO public."Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "updatedAt")
                    VALUES (?, ?, ?, ?, ?, ?, 'valid', CURRENT_TIMESTAMP)""",
                    ticket, booking, seat.id(), seat.eventId(), user, "TK-" + Long.toHexString(ThreadLocalRandom.current().nextLong()).toUpperCase(Locale.ROOT));
            c.commit();
            List<String> tickets = new ArrayList<>(List.of(ticket));
            pool.bookings.add(new Booking(booking, List.of(seat), tickets));
            pool.validTickets.add(ticket);
        } catch (SQLException | RuntimeException e) {
            pool.freeSeats.addLast(seat);
            throw e;
        }
    }

    private static void cancel(Connection c, Pool pool, Random random) throws SQLException {
        Booking booking = pool.bookings.remove(random.nextInt(pool.bookings.size()));
        try {
            for (String ticket : booking.ticketIds()) {
                update(c, "UPDATE public.\"Ticket\" SET status = 'cancelled', \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = ?", ticket);
            }
            update(c, "UPDATE public.\"Booking\" SET status = 'cancelled', \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = ?", booking.id());
            for (Seat seat : booking.seats()) {
                update(c, "UPDATE public.\"Seat\" SET status = 'available', \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = ?", seat.id());
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            pool.bookings.add(booking);
            throw e;
        }
        pool.validTickets.removeAll(booking.ticketIds());
        pool.freeSeats.addAll(booking.seats());
    }

    private static void checkIn(Connection c, Pool pool, Random random) throws SQLException {
        String ticket = pool.validTickets.remove(random.nextInt(pool.validTickets.size()));
        try {
            update(c, "UPDATE public.\"Ticket\" SET status = 'used', \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = ?", ticket);
            update(c, """
                    UPDATE public."Booking" SET "updatedAt" = CURRENT_TIMESTAMP
                     WHERE id = (SELECT "bookingId" FROM public."Ticket" WHERE id = ?)""", ticket);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            pool.validTickets.add(ticket);
            throw e;
        }
        for (Booking booking : pool.bookings) {
            booking.ticketIds().remove(ticket);
        }
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("expected one row: " + sql.lines().findFirst().orElse(sql) + " " + List.of(args));
            }
        }
    }

    /** An id as Prisma's cuid() makes them: 'c' and 24 base-36 characters (not from the seeded choices: a restart must not repeat them). */
    private static String cuid() {
        StringBuilder id = new StringBuilder("c");
        for (int i = 0; i < 24; i++) {
            id.append(Character.forDigit(ThreadLocalRandom.current().nextInt(36), 36));
        }
        return id.toString();
    }
}
