package io.ticketing.benchmarks;


import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code seed-queries}: the seed guide's queries, legacy (Prisma) schema vs optimized schema, on the
 * same rows: LegacyDataGenerator fills the legacy tables, LegacyImporter copies them into the
 * optimized schema of the same database, then both are VACUUM ANALYZEd. Each iteration picks a
 * random key (the same entity on both sides: legacy id vs its new UUID) and times both sides, in
 * alternating order, over one connection each. Legacy SQL is what Prisma issues for the guide's
 * "Before" code (two round trips where Prisma makes two); optimized SQL is the MyBatis mappers'.
 */
public final class SeedQueries {

    private static final String USAGE = "seed-queries [--sizes 10000,100000,1000000] [--budget-ms 6000] [--rounds 5]";

    private SeedQueries() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, USAGE, "sizes", "budget-ms", "rounds");
        List<Integer> sizes = Bench.intList(options.getOrDefault("sizes", "10000,100000,1000000"));
        long budgetMs = Long.parseLong(options.getOrDefault("budget-ms", "6000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        String command = Bench.command("benchmarks/run seed-queries " + String.join(" ", args));

        try (Server server = Server.embedded()) {
            String machine = server.machineLine();
            System.out.println(machine);
            List<SizeResult> results = new ArrayList<>();
            for (int size : sizes) {
                results.add(runSize(server, size, budgetMs, rounds));
            }
            String doc = document(machine, command, results, budgetMs, rounds);
            System.out.println();
            System.out.println(doc);
            Bench.writeSection("seed-queries", doc);
        }
    }

    // ---- one data size ------------------------------------------------------------------------

    record Measurement(String query, int iterations, double legacyMedian, double optimizedMedian,
                       double minRoundRatio, double maxRoundRatio, String legacyPlan, String optimizedPlan) {
        double ratio() {
            return legacyMedian / optimizedMedian;
        }
    }

    record SizeResult(LegacyFixture.Generated generated, LegacyFixture.Imported imported, List<Measurement> measurements) {
    }

    private static SizeResult runSize(Server server, int size, long budgetMs, int rounds) throws SQLException {
        System.out.printf("%n=== %,d seats ===%n", size);
        String database = "seed_" + size;
        LegacyFixture.Generated generated = LegacyFixture.generate(server, database, size);
        LegacyFixture.Imported imported = LegacyFixture.importAll(server.dataSource(database));
        try (Connection legacy = server.connect(database); Connection optimized = server.connect(database)) {
            long vacuum = System.nanoTime();
            Bench.execute(legacy, "VACUUM ANALYZE");
            System.out.println("VACUUM ANALYZE of both schemas: " + Bench.seconds(Bench.millisSince(vacuum)));
            Keys keys = Keys.sample(legacy);
            List<Measurement> measurements = new ArrayList<>();
            for (SeedQuery query : queries()) {
                Measurement m = measure(query, keys, legacy, optimized, budgetMs, rounds);
                System.out.printf(Locale.ROOT, "%-44s legacy %10s  optimized %10s  ratio %7s  (rounds %s–%s, n=%d)%n",
                        query.name(), Bench.ms(m.legacyMedian()), Bench.ms(m.optimizedMedian()), Bench.ratio(m.ratio()),
                        Bench.ratio(m.minRoundRatio()), Bench.ratio(m.maxRoundRatio()), m.iterations());
                System.out.println("    plans: legacy " + m.legacyPlan() + " | optimized " + m.optimizedPlan());
                measurements.add(m);
            }
            return new SizeResult(generated, imported, measurements);
        } finally {
            server.dropDatabase(database);
        }
    }

    private static Measurement measure(SeedQuery query, Keys keys, Connection legacy, Connection optimized,
                                       long budgetMs, int rounds) throws SQLException {
        Random random = new Random(42);
        for (int i = 0; i < 3; i++) { // warm-up: caches, prepared statements
            int k = random.nextInt(keys.size());
            query.legacy().run(legacy, keys, k);
            query.optimized().run(optimized, keys, k);
        }
        List<Double> legacyAll = new ArrayList<>();
        List<Double> optimizedAll = new ArrayList<>();
        List<Double> roundRatios = new ArrayList<>();
        long roundBudgetNanos = budgetMs * 1_000_000L / rounds;
        for (int round = 0; round < rounds; round++) {
            List<Double> legacyRound = new ArrayList<>();
            List<Double> optimizedRound = new ArrayList<>();
            long roundStart = System.nanoTime();
            for (int i = 0; i < 300 && (i < 5 || System.nanoTime() - roundStart < roundBudgetNanos); i++) {
                int k = random.nextInt(keys.size());
                if (i % 2 == 0) {
                    legacyRound.add(time(query.legacy(), legacy, keys, k));
                    optimizedRound.add(time(query.optimized(), optimized, keys, k));
                } else {
                    optimizedRound.add(time(query.optimized(), optimized, keys, k));
                    legacyRound.add(time(query.legacy(), legacy, keys, k));
                }
            }
            roundRatios.add(Bench.median(legacyRound) / Bench.median(optimizedRound));
            legacyAll.addAll(legacyRound);
            optimizedAll.addAll(optimizedRound);
        }
        return new Measurement(query.name(), legacyAll.size(), Bench.median(legacyAll), Bench.median(optimizedAll),
                Collections.min(roundRatios), Collections.max(roundRatios),
                query.legacyPlan().plan(legacy, keys), query.optimizedPlan().plan(optimized, keys));
    }

    private static double time(Side side, Connection connection, Keys keys, int k) throws SQLException {
        long started = System.nanoTime();
        side.run(connection, keys, k);
        return Bench.millisSince(started);
    }

    // ---- keys: the same entities on both sides --------------------------------------------------

    /** Random entities present in both schemas: legacy id and the UUID the import gave it. */
    record Keys(List<String> bookingLegacy, List<UUID> bookingNew,
                List<String> eventLegacy, List<UUID> eventNew,
                List<String> seatLegacy, List<UUID> seatNew, List<String> seatEventLegacy, List<UUID> seatEventNew,
                List<String> sessionLegacy, List<UUID> sessionNew,
                List<Instant> upcomingFrom) {

        static final int SAMPLE = 2000;

        int size() {
            return SAMPLE;
        }

        static Keys sample(Connection c) throws SQLException {
            Bench.execute(c, "SELECT setseed(0.42)");
            List<Object[]> bookings = cycle(Bench.rows(c, "SELECT legacy_id, id FROM ticketing.booking WHERE legacy_id IS NOT NULL ORDER BY random() LIMIT " + SAMPLE));
            List<Object[]> events = cycle(Bench.rows(c, """
                    SELECT e.legacy_id, e.id FROM ticketing.event e
                     WHERE e.legacy_id IS NOT NULL AND EXISTS (SELECT 1 FROM ticketing.seat s WHERE s.event_id = e.id)
                     ORDER BY random() LIMIT """ + " " + SAMPLE));
            List<Object[]> seats = cycle(Bench.rows(c, """
                    SELECT s.legacy_id, s.id, e.legacy_id, e.id FROM ticketing.seat s JOIN ticketing.event e ON e.id = s.event_id
                     WHERE s.legacy_id IS NOT NULL ORDER BY random() LIMIT """ + " " + SAMPLE));
            List<Object[]> sessions = cycle(Bench.rows(c, "SELECT legacy_id, id FROM ticketing.payment_session WHERE legacy_id IS NOT NULL ORDER BY random() LIMIT " + SAMPLE));
            Object[] range = Bench.rows(c, """
                    SELECT min("startDate") AT TIME ZONE 'UTC', max("startDate") AT TIME ZONE 'UTC' FROM public."Event" WHERE status = 'PUBLISHED'""").get(0);
            Instant first = toInstant(range[0]);
            Instant last = toInstant(range[1]);
            Random random = new Random(7);
            List<Instant> from = new ArrayList<>();
            for (int i = 0; i < SAMPLE; i++) {
                from.add(first.plusSeconds((long) (random.nextDouble() * (last.getEpochSecond() - first.getEpochSecond()))));
            }
            return new Keys(col(bookings, 0), col(bookings, 1), col(events, 0), col(events, 1),
                    col(seats, 0), col(seats, 1), col(seats, 2), col(seats, 3), col(sessions, 0), col(sessions, 1), from);
        }

        private static Instant toInstant(Object timestamp) {
            if (timestamp instanceof java.sql.Timestamp t) {
                return t.toInstant();
            }
            return ((OffsetDateTime) timestamp).toInstant();
        }

        private static List<Object[]> cycle(List<Object[]> rows) {
            List<Object[]> out = new ArrayList<>();
            for (int i = 0; i < SAMPLE; i++) {
                out.add(rows.get(i % rows.size()));
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        private static <T> List<T> col(List<Object[]> rows, int column) {
            return rows.stream().map(r -> (T) r[column]).toList();
        }
    }

    // ---- the queries ------------------------------------------------------------------------

    @FunctionalInterface
    interface Side {
        void run(Connection connection, Keys keys, int k) throws SQLException;
    }

    @FunctionalInterface
    interface Plan {
        String plan(Connection connection, Keys keys) throws SQLException;
    }

    record SeedQuery(String name, Side legacy, Side optimized, Plan legacyPlan, Plan optimizedPlan) {
    }

    private static final String SEAT_COLUMNS = """
            "public"."Seat"."id", "public"."Seat"."eventId", "public"."Seat"."section", "public"."Seat"."row", "public"."Seat"."number",
            "public"."Seat"."price", "public"."Seat"."status", "public"."Seat"."createdAt", "public"."Seat"."updatedAt\"""";
    private static final String BOOKING_COLUMNS = """
            "public"."Booking"."id", "public"."Booking"."userId", "public"."Booking"."eventId", "public"."Booking"."seats",
            "public"."Booking"."totalAmount", "public"."Booking"."status", "public"."Booking"."createdAt", "public"."Booking"."updatedAt\"""";
    private static final String EVENT_COLUMNS = """
            "public"."Event"."id", "public"."Event"."title", "public"."Event"."description", "public"."Event"."venue",
            "public"."Event"."startDate", "public"."Event"."endDate", "public"."Event"."status", "public"."Event"."createdAt",
            "public"."Event"."updatedAt\"""";
    private static final String SESSION_COLUMNS = """
            "public"."PaymentSession"."id", "public"."PaymentSession"."userId", "public"."PaymentSession"."eventId",
            "public"."PaymentSession"."bookingId", "public"."PaymentSession"."amount", "public"."PaymentSession"."status",
            "public"."PaymentSession"."providerRef", "public"."PaymentSession"."expiresAt", "public"."PaymentSession"."createdAt",
            "public"."PaymentSession"."updatedAt\"""";

    // prisma.booking.findUnique({ where: { id } }), then JSON.parse(booking.seats), then prisma.seat.findMany({ where: { id: { in: ids } } })
    static final String LEGACY_BOOKING = "SELECT " + BOOKING_COLUMNS + " FROM \"public\".\"Booking\" WHERE (\"public\".\"Booking\".\"id\" = ? AND 1=1) LIMIT ? OFFSET ?";
    static final String LEGACY_SEATS_IN = "SELECT " + SEAT_COLUMNS + " FROM \"public\".\"Seat\" WHERE \"public\".\"Seat\".\"id\" IN (%s) OFFSET ?";
    // BookingMapper.findBookingSeats
    static final String OPTIMIZED_BOOKING_SEATS = """
            SELECT s.id, s.event_id, s.section, s."row", s.number, s.price, e.currency, s.status::text AS status, s.version
              FROM ticketing.booked_seat bs
              JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
              JOIN ticketing.event e ON e.id = s.event_id
             WHERE bs.booking_id = ?
             ORDER BY s.section, s."row", s.number""";

    // prisma.seat.findMany({ where: { eventId, status: 'available' } })
    static final String LEGACY_AVAILABLE = "SELECT " + SEAT_COLUMNS
            + " FROM \"public\".\"Seat\" WHERE (\"public\".\"Seat\".\"eventId\" = ? AND \"public\".\"Seat\".\"status\" = ?) OFFSET ?";
    // SeatMapper.findAvailableSeats without its page's cursor and limit: the whole map, as the seed's query reads it
    static final String OPTIMIZED_AVAILABLE = """
            SELECT s.id, s.event_id, s.section, s."row", s.number, s.price, e.currency, s.status::text AS status, s.version
              FROM ticketing.seat s
              JOIN ticketing.event e ON e.id = s.event_id
             WHERE s.event_id = ?
               AND s.status = 'AVAILABLE'
               AND NOT e.is_deleted
             ORDER BY s.section, s."row", s.number""";

    // prisma.event.findMany({ where: { startDate: { gte: new Date() }, status: 'PUBLISHED' }, orderBy: { startDate: 'asc' }, take: 10 })
    static final String LEGACY_UPCOMING = "SELECT " + EVENT_COLUMNS + " FROM \"public\".\"Event\" WHERE (\"public\".\"Event\".\"startDate\" >= ? "
            + "AND \"public\".\"Event\".\"status\" = ?) ORDER BY \"public\".\"Event\".\"startDate\" ASC LIMIT ? OFFSET ?";
    // EventMapper.findUpcoming
    static final String OPTIMIZED_UPCOMING = """
            SELECT e.id, e.title, e.description, e.venue, e.starts_at, e.ends_at, e.currency, e.status::text AS status,
                   e.deleted_at, e.deleted_by, e.version, e.created_at
              FROM ticketing.event e
             WHERE e.status = 'PUBLISHED'
               AND NOT e.is_deleted
               AND e.starts_at >= ?
             ORDER BY e.starts_at, e.id
             LIMIT ?""";

    // The stats a Prisma app computes: prisma.seat.groupBy / booking.groupBy / ticket.groupBy by status for the event.
    static final String LEGACY_STATS_SEATS = "SELECT \"status\", COUNT(*) AS \"_count._all\" FROM \"public\".\"Seat\" "
            + "WHERE \"public\".\"Seat\".\"eventId\" = ? GROUP BY \"status\" OFFSET ?";
    static final String LEGACY_STATS_BOOKINGS = "SELECT \"status\", COUNT(*) AS \"_count._all\", SUM(\"totalAmount\") AS \"_sum.totalAmount\" "
            + "FROM \"public\".\"Booking\" WHERE \"public\".\"Booking\".\"eventId\" = ? GROUP BY \"status\" OFFSET ?";
    static final String LEGACY_STATS_TICKETS = "SELECT \"status\", COUNT(*) AS \"_count._all\" FROM \"public\".\"Ticket\" "
            + "WHERE \"public\".\"Ticket\".\"eventId\" = ? GROUP BY \"status\" OFFSET ?";
    // StatisticsMapper.findEventSummary
    static final String OPTIMIZED_STATS = """
            SELECT es.event_id, e.currency, es.seats_available, es.seats_reserved, es.seats_booked, es.seats_blocked,
                   es.bookings_confirmed, es.tickets_sold, es.tickets_checked_in, es.gross_revenue, es.refunded_amount
              FROM ticketing.event_summary es
              JOIN ticketing.event e ON e.id = es.event_id
             WHERE es.event_id = ?""";

    // prisma.$queryRaw: the view's columns, computed from the base tables as the legacy app had to.
    static final String LEGACY_SALES = """
            SELECT e.id AS event_id, e.title,
                   coalesce(t.sold, 0) AS tickets_sold, coalesce(b.bookings, 0) AS bookings,
                   coalesce(b.revenue, 0) AS total_revenue, coalesce(b.refunds, 0) AS refunds,
                   CASE WHEN coalesce(s.total, 0) = 0 THEN 0 ELSE round(s.booked::numeric / s.total, 4) END AS sell_through,
                   b.last_sale_at
              FROM "public"."Event" e
              LEFT JOIN (SELECT "eventId", count(*) FILTER (WHERE status = 'confirmed') AS bookings,
                                sum("totalAmount") FILTER (WHERE status = 'confirmed') AS revenue,
                                sum("totalAmount") FILTER (WHERE status = 'cancelled') AS refunds,
                                max("updatedAt") FILTER (WHERE status = 'confirmed') AS last_sale_at
                           FROM "public"."Booking" GROUP BY "eventId") b ON b."eventId" = e.id
              LEFT JOIN (SELECT "eventId", count(*) AS sold FROM "public"."Ticket" WHERE status IN ('valid', 'used') GROUP BY "eventId") t
                     ON t."eventId" = e.id
              LEFT JOIN (SELECT "eventId", count(*) AS total, count(*) FILTER (WHERE status = 'booked') AS booked
                           FROM "public"."Seat" GROUP BY "eventId") s ON s."eventId" = e.id
             ORDER BY total_revenue DESC, e.id""";
    // StatisticsMapper.findEventSales
    static final String OPTIMIZED_SALES = """
            SELECT v.event_id, v.title, v.currency, v.tickets_sold, v.bookings, v.total_revenue, v.refunds,
                   v.sell_through, v.last_sale_at
              FROM ticketing.event_sales_summary v
             ORDER BY v.total_revenue DESC, v.event_id""";
    static final String REFRESH_SALES = "REFRESH MATERIALIZED VIEW ticketing.event_sales_summary";

    // prisma.booking.findFirst({ where: { eventId, status: { in: ['pending', 'confirmed'] }, seats: { array_contains: [seatId] } } })
    static final String LEGACY_SEAT_HOLDER = "SELECT " + BOOKING_COLUMNS + " FROM \"public\".\"Booking\" WHERE (\"public\".\"Booking\".\"eventId\" = ? "
            + "AND \"public\".\"Booking\".\"status\" IN (?,?) AND (\"public\".\"Booking\".\"seats\" @> ?::jsonb "
            + "AND jsonb_typeof(\"public\".\"Booking\".\"seats\") = 'array')) LIMIT ? OFFSET ?";
    // booked_seat_active_claim_key (index-only for booking_id), then the booking by its key.
    static final String OPTIMIZED_SEAT_HOLDER = """
            SELECT b.event_id, b.id, b.customer_id, b.total_amount, b.status::text AS status, b.created_at, b.confirmed_at
              FROM ticketing.booked_seat bs
              JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
             WHERE bs.event_id = ? AND bs.seat_id = ? AND bs.released_at IS NULL""";

    // prisma.paymentSession.findUnique({ where: { id }, include: { seats: true } }): Prisma's two queries.
    static final String LEGACY_SESSION = "SELECT " + SESSION_COLUMNS
            + " FROM \"public\".\"PaymentSession\" WHERE (\"public\".\"PaymentSession\".\"id\" = ? AND 1=1) LIMIT ? OFFSET ?";
    static final String LEGACY_SESSION_SEATS = "SELECT \"t0\".\"A\", " + SEAT_COLUMNS + " FROM \"public\".\"Seat\" "
            + "INNER JOIN \"public\".\"_PaymentSessionToSeat\" AS \"t0\" ON \"t0\".\"B\" = \"public\".\"Seat\".\"id\" WHERE \"t0\".\"A\" IN (?) OFFSET ?";
    // PaymentSessionMapper's session with its links, and the linked seats in the same query.
    static final String OPTIMIZED_SESSION_SEATS = """
            SELECT ps.id, ps.event_id, ps.customer_id, ps.amount, ps.currency, ps.status::text AS status, ps.created_at,
                   ps.expires_at, ps.provider_ref, s.id AS seat_id, s.section, s."row", s.number, s.price, s.status::text AS seat_status
              FROM ticketing.payment_session ps
              LEFT JOIN ticketing.payment_session_seat pss ON pss.event_id = ps.event_id AND pss.payment_session_id = ps.id
              LEFT JOIN ticketing.seat s ON s.event_id = pss.event_id AND s.id = pss.seat_id
             WHERE ps.id = ?""";

    private static final Pattern SEAT_ID = Pattern.compile("[A-Za-z0-9-]{20,}");

    static List<SeedQuery> queries() {
        List<SeedQuery> q = new ArrayList<>();
        q.add(new SeedQuery("seats of a booking",
                (c, keys, k) -> {
                    String json = null;
                    try (PreparedStatement ps = bind(c.prepareStatement(LEGACY_BOOKING), keys.bookingLegacy().get(k), 1, 0);
                         ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            json = rs.getString("seats");
                            consume(rs);
                        }
                    }
                    List<String> ids = new ArrayList<>();
                    Matcher m = SEAT_ID.matcher(json == null ? "" : json);
                    while (m.find()) {
                        ids.add(m.group());
                    }
                    if (!ids.isEmpty()) {
                        Object[] args = new Object[ids.size() + 1];
                        for (int i = 0; i < ids.size(); i++) {
                            args[i] = ids.get(i);
                        }
                        args[ids.size()] = 0;
                        query(c, LEGACY_SEATS_IN.formatted(String.join(",", Collections.nCopies(ids.size(), "?"))), args);
                    }
                },
                (c, keys, k) -> query(c, OPTIMIZED_BOOKING_SEATS, keys.bookingNew().get(k)),
                (c, keys) -> plan(c, LEGACY_BOOKING, keys.bookingLegacy().get(0), 1, 0) + " + "
                        + plan(c, LEGACY_SEATS_IN.formatted("?"), keys.seatLegacy().get(0), 0),
                (c, keys) -> plan(c, OPTIMIZED_BOOKING_SEATS, keys.bookingNew().get(0))));
        q.add(new SeedQuery("available seats of an event",
                (c, keys, k) -> query(c, LEGACY_AVAILABLE, keys.eventLegacy().get(k), "available", 0),
                (c, keys, k) -> query(c, OPTIMIZED_AVAILABLE, keys.eventNew().get(k)),
                (c, keys) -> plan(c, LEGACY_AVAILABLE, keys.eventLegacy().get(0), "available", 0),
                (c, keys) -> plan(c, OPTIMIZED_AVAILABLE, keys.eventNew().get(0))));
        q.add(new SeedQuery("upcoming events (10)",
                (c, keys, k) -> query(c, LEGACY_UPCOMING, LocalDateTime.ofInstant(keys.upcomingFrom().get(k), ZoneOffset.UTC), "PUBLISHED", 10, 0),
                (c, keys, k) -> query(c, OPTIMIZED_UPCOMING, OffsetDateTime.ofInstant(keys.upcomingFrom().get(k), ZoneOffset.UTC), 10),
                (c, keys) -> plan(c, LEGACY_UPCOMING, LocalDateTime.ofInstant(keys.upcomingFrom().get(0), ZoneOffset.UTC), "PUBLISHED", 10, 0),
                (c, keys) -> plan(c, OPTIMIZED_UPCOMING, OffsetDateTime.ofInstant(keys.upcomingFrom().get(0), ZoneOffset.UTC), 10)));
        q.add(new SeedQuery("event stats",
                (c, keys, k) -> {
                    String event = keys.eventLegacy().get(k);
                    query(c, LEGACY_STATS_SEATS, event, 0);
                    query(c, LEGACY_STATS_BOOKINGS, event, 0);
                    query(c, LEGACY_STATS_TICKETS, event, 0);
                },
                (c, keys, k) -> query(c, OPTIMIZED_STATS, keys.eventNew().get(k)),
                (c, keys) -> plan(c, LEGACY_STATS_SEATS, keys.eventLegacy().get(0), 0) + " + "
                        + plan(c, LEGACY_STATS_BOOKINGS, keys.eventLegacy().get(0), 0) + " + "
                        + plan(c, LEGACY_STATS_TICKETS, keys.eventLegacy().get(0), 0),
                (c, keys) -> plan(c, OPTIMIZED_STATS, keys.eventNew().get(0))));
        q.add(new SeedQuery("sales analytics (all events)",
                (c, keys, k) -> query(c, LEGACY_SALES),
                (c, keys, k) -> query(c, OPTIMIZED_SALES),
                (c, keys) -> plan(c, LEGACY_SALES),
                (c, keys) -> plan(c, OPTIMIZED_SALES)));
        q.add(new SeedQuery("sales analytics, guide's way (REFRESH, then read)",
                (c, keys, k) -> query(c, LEGACY_SALES),
                (c, keys, k) -> {
                    Bench.execute(c, REFRESH_SALES);
                    query(c, OPTIMIZED_SALES);
                },
                (c, keys) -> plan(c, LEGACY_SALES),
                (c, keys) -> "REFRESH (full recompute) + " + plan(c, OPTIMIZED_SALES)));
        q.add(new SeedQuery("which booking holds a seat",
                (c, keys, k) -> query(c, LEGACY_SEAT_HOLDER, keys.seatEventLegacy().get(k), "pending", "confirmed",
                        "[\"" + keys.seatLegacy().get(k) + "\"]", 1, 0),
                (c, keys, k) -> query(c, OPTIMIZED_SEAT_HOLDER, keys.seatEventNew().get(k), keys.seatNew().get(k)),
                (c, keys) -> plan(c, LEGACY_SEAT_HOLDER, keys.seatEventLegacy().get(0), "pending", "confirmed",
                        "[\"" + keys.seatLegacy().get(0) + "\"]", 1, 0),
                (c, keys) -> plan(c, OPTIMIZED_SEAT_HOLDER, keys.seatEventNew().get(0), keys.seatNew().get(0))));
        q.add(new SeedQuery("seats of a payment session",
                (c, keys, k) -> {
                    query(c, LEGACY_SESSION, keys.sessionLegacy().get(k), 1, 0);
                    query(c, LEGACY_SESSION_SEATS, keys.sessionLegacy().get(k), 0);
                },
                (c, keys, k) -> query(c, OPTIMIZED_SESSION_SEATS, keys.sessionNew().get(k)),
                (c, keys) -> plan(c, LEGACY_SESSION, keys.sessionLegacy().get(0), 1, 0) + " + "
                        + plan(c, LEGACY_SESSION_SEATS, keys.sessionLegacy().get(0), 0),
                (c, keys) -> plan(c, OPTIMIZED_SESSION_SEATS, keys.sessionNew().get(0))));
        return q;
    }

    private static PreparedStatement bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }

    /** Executes and reads every value, as a client mapping rows to objects would. */
    private static void query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                consume(rs);
            }
        }
    }

    private static void consume(ResultSet rs) throws SQLException {
        int columns = rs.getMetaData().getColumnCount();
        for (int i = 1; i <= columns; i++) {
            rs.getObject(i);
        }
    }

    /** The plan's scan and aggregate nodes, in plan order ("Seq Scan on Seat", "Index Only Scan using …"). */
    private static String plan(Connection c, String sql, Object... args) throws SQLException {
        List<String> nodes = new ArrayList<>();
        try (PreparedStatement ps = bind(c.prepareStatement("EXPLAIN " + sql), args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String line = rs.getString(1).replaceFirst("^[\\s>-]+", "").replaceAll("\\s+\\(cost=.*$", "");
                if (line.contains("Scan")) {
                    nodes.add(line.replace("\"", "").replace(" on public.", " on ").replace("ticketing.", ""));
                }
            }
        }
        return String.join(", ", nodes);
    }

    // ---- the document ------------------------------------------------------------------------

    private static String document(String machine, String command, List<SizeResult> results, long budgetMs, int rounds) {
        StringBuilder doc = new StringBuilder();
        doc.append("## Seed queries: legacy (Prisma) schema vs optimized schema, same rows\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server settings: ").append(Bench.settings()).append(".\n\n");
        doc.append("""
                Per data size: `LegacyDataGenerator` (seed 1) fills the legacy tables, `LegacyImporter` (default options)
                copies them into schema `ticketing` of the same database, then `VACUUM ANALYZE`. Each iteration picks a
                random entity (its legacy id on one side, the UUID the import gave it on the other; for upcoming
                events a random date within the events' range) and runs both sides, alternating which goes first, over
                one JDBC connection each (prepared statements, every value read). Legacy SQL is what Prisma issues for
                the guide's "Before" code (two round trips where Prisma makes two); optimized SQL is the MyBatis
                mappers'. Latency is the median of all iterations (%d rounds of about %s each, after a warm-up);
                ratio = legacy median / optimized median; the range is the lowest and highest ratio of a single round.
                """.formatted(rounds, Bench.seconds((double) budgetMs / rounds)));
        for (SizeResult r : results) {
            doc.append("\n### ").append(String.format(Locale.ROOT, "%,d", r.generated().seats())).append(" seats\n\n");
            doc.append("Legacy rows: ").append(r.generated().rowsByTable()).append(" (").append(r.generated().legacyRows())
                    .append(" in all). Generated in ").append(Bench.seconds(r.generated().millis())).append(", imported in ")
                    .append(Bench.seconds(r.imported().millis())).append(".\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (Measurement m : r.measurements()) {
                rows.add(List.of(m.query(), Bench.ms(m.legacyMedian()), Bench.ms(m.optimizedMedian()), "**" + Bench.ratio(m.ratio()) + "**",
                        Bench.ratio(m.minRoundRatio()) + "–" + Bench.ratio(m.maxRoundRatio()), Integer.toString(m.iterations())));
            }
            doc.append(Bench.table(List.of("query", "legacy median", "optimized median", "ratio", "range over rounds", "iterations"), rows));
        }
        if (results.size() > 1) {
            SizeResult small = results.get(0);
            SizeResult large = results.get(results.size() - 1);
            doc.append("\n### How each side grows with size\n\n");
            List<String> header = new ArrayList<>(List.of("query"));
            for (SizeResult r : results) {
                header.add(String.format(Locale.ROOT, "legacy %,d", r.generated().seats()));
            }
            for (SizeResult r : results) {
                header.add(String.format(Locale.ROOT, "optimized %,d", r.generated().seats()));
            }
            header.add(String.format(Locale.ROOT, "growth ×%d data: legacy / optimized", large.generated().seats() / small.generated().seats()));
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < small.measurements().size(); i++) {
                List<String> row = new ArrayList<>(List.of(small.measurements().get(i).query()));
                for (SizeResult r : results) {
                    row.add(Bench.ms(r.measurements().get(i).legacyMedian()));
                }
                for (SizeResult r : results) {
                    row.add(Bench.ms(r.measurements().get(i).optimizedMedian()));
                }
                Measurement a = small.measurements().get(i);
                Measurement b = large.measurements().get(i);
                row.add(String.format(Locale.ROOT, "%.1f× / %.1f×", b.legacyMedian() / a.legacyMedian(), b.optimizedMedian() / a.optimizedMedian()));
                rows.add(row);
            }
            doc.append(Bench.table(header, rows));
        }
        SizeResult largest = results.get(results.size() - 1);
        doc.append("\n### Plans at ").append(String.format(Locale.ROOT, "%,d", largest.generated().seats())).append(" seats (EXPLAIN, scan nodes)\n\n");
        List<List<String>> plans = new ArrayList<>();
        for (Measurement m : largest.measurements()) {
            plans.add(List.of(m.query(), m.legacyPlan(), m.optimizedPlan()));
        }
        doc.append(Bench.table(List.of("query", "legacy", "optimized"), plans));
        return doc.toString();
    }
}
