package io.ticketing.benchmarks;

import io.ticketing.benchmarks.LoadAndFaultLog.Answer;
import io.ticketing.benchmarks.LoadAndFaultLog.Checkout;
import io.ticketing.benchmarks.LoadAndFaultLog.Delivery;
import io.ticketing.benchmarks.LoadAndFaultLog.UncertainCheckout;
import io.ticketing.migration.schema.SchemaInvariants;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The checks of {@link LoadAndFault} after the run, once every checkout has expired and the API is
 * stopped: the schema's own invariants ({@link SchemaInvariants}, plain SQL), then the database's
 * end state against what the clients were told ({@link LoadAndFaultLog}), all over one JDBC
 * connection. Each check counts its violations; every count must be 0. Where a client never got an
 * answer, the check accepts either outcome of that request, and only that request's.
 */
final class LoadAndFaultChecker {

    /** One check: what a violation is, how many there are, and a few of them to look at. */
    record Check(String name, long violations, List<String> examples) {
    }

    private final Connection connection;
    private final UUID eventId;
    private final LoadAndFaultLog log;
    private final List<Check> checks = new ArrayList<>();

    // The database's end state, read once.
    private final Map<String, Row> sessions = new HashMap<>();
    private final Map<String, Set<String>> sessionSeats = new HashMap<>();
    private final Map<String, Row> bookings = new HashMap<>();
    private final Map<String, Set<String>> bookingSeats = new HashMap<>();
    private final Map<String, String> seatStatus = new HashMap<>();
    private final List<Object[]> tickets = new ArrayList<>();
    private final Map<String, Object[]> ledger = new HashMap<>();

    /** A checkout or booking: its status, its customer's e-mail or its checkout, and whether it was ever confirmed. */
    private record Row(String id, String status, String owner, boolean confirmedOnce) {
    }

    LoadAndFaultChecker(Connection connection, UUID eventId, LoadAndFaultLog log) {
        this.connection = connection;
        this.eventId = eventId;
        this.log = log;
    }

    /** @param errorCauses what the instances' 500s were, from their logs ({@link LoadAndFaultApi#unexpectedErrorCauses()}) */
    List<Check> run(Map<String, Long> errorCauses) throws SQLException {
        SchemaInvariants.count(connection).forEach((name, violations) -> checks.add(new Check(name + " (SQL)", violations, List.of())));
        load();
        clientsBookingsExist();
        noConfirmedBookingUnheardOf();
        ticketsMatchPaidSeats();
        bookedSeatsMatchPaidSeats();
        eachWebhookEventAppliedOnce();
        noCheckoutHoldsSeatsAfterExpiry();
        checkoutsEndAsTheirClientsWereTold();
        unknownCheckoutsExpired();
        answersEqualWhatTheirKeyCommitted();
        checkoutsCommittedWithTheirAnswer();
        List<String> unexpected = new ArrayList<>(log.unexpected);
        add("an answer a client should not have been given", unexpected.size(), unexpected);
        serverErrors(errorCauses);
        return checks;
    }

    private void load() throws SQLException {
        for (Object[] row : Bench.rows(connection, """
                SELECT ps.id::text, ps.status::text, c.email FROM ticketing.payment_session ps
                  JOIN ticketing.customer c ON c.id = ps.customer_id WHERE ps.event_id = ?""", eventId)) {
            sessions.put((String) row[0], new Row((String) row[0], (String) row[1], (String) row[2], false));
        }
        for (Object[] row : Bench.rows(connection, """
                SELECT payment_session_id::text, seat_id::text FROM ticketing.payment_session_seat WHERE event_id = ?""", eventId)) {
            sessionSeats.computeIfAbsent((String) row[0], id -> new HashSet<>()).add((String) row[1]);
        }
        for (Object[] row : Bench.rows(connection, """
                SELECT id::text, status::text, payment_session_id::text, confirmed_at IS NOT NULL
                  FROM ticketing.booking WHERE event_id = ?""", eventId)) {
            bookings.put((String) row[0], new Row((String) row[0], (String) row[1], (String) row[2], (Boolean) row[3]));
        }
        for (Object[] row : Bench.rows(connection, """
                SELECT booking_id::text, seat_id::text FROM ticketing.booked_seat WHERE event_id = ?""", eventId)) {
            bookingSeats.computeIfAbsent((String) row[0], id -> new HashSet<>()).add((String) row[1]);
        }
        for (Object[] row : Bench.rows(connection, "SELECT id::text, status::text FROM ticketing.seat WHERE event_id = ?", eventId)) {
            seatStatus.put((String) row[0], (String) row[1]);
        }
        tickets.addAll(Bench.rows(connection, """
                SELECT booking_id::text, seat_id::text, status::text FROM ticketing.ticket WHERE event_id = ?""", eventId));
        for (Object[] row : Bench.rows(connection, """
                SELECT provider_event_id, event_type, payment_session_id::text FROM ticketing.processed_webhook_event""")) {
            ledger.put((String) row[0], row);
        }
    }

    // ---- every booking a client was told succeeded exists ---------------------------------------

    private void clientsBookingsExist() {
        List<String> wrong = new ArrayList<>();
        for (Checkout checkout : log.checkouts) {
            if (checkout.booking == null) {
                continue;
            }
            Row booking = bookings.get(checkout.booking.id);
            String expected = switch (checkout.booking.cancellation) {
                case NOT_ASKED -> "CONFIRMED";
                case CANCELLED -> "CANCELLED";
                case UNKNOWN -> null;
            };
            if (booking == null) {
                wrong.add("booking " + checkout.booking.id + " of checkout " + checkout.id + " does not exist");
            } else if (!checkout.id.equals(booking.owner())
                    || !checkout.booking.seats.equals(bookingSeats.getOrDefault(booking.id(), Set.of()))) {
                wrong.add("booking " + booking.id() + " is of checkout " + booking.owner() + " with seats "
                        + bookingSeats.get(booking.id()) + "; its customer was told checkout " + checkout.id + ", seats " + checkout.booking.seats);
            } else if (expected != null ? !expected.equals(booking.status())
                    : !Set.of("CONFIRMED", "CANCELLED").contains(booking.status())) {
                wrong.add("booking " + booking.id() + " is " + booking.status() + "; its customer's cancellation: " + checkout.booking.cancellation);
            } else if (!booking.confirmedOnce()) {
                wrong.add("booking " + booking.id() + " was never confirmed (confirmed_at is null)");
            }
        }
        add("a booking a client was told succeeded is missing, has other seats, or is not CONFIRMED "
                + "(CANCELLED when its customer cancelled it)", wrong.size(), wrong);
    }

    private void noConfirmedBookingUnheardOf() {
        Map<String, Checkout> byId = checkoutsById();
        Set<String> told = new HashSet<>();
        log.checkouts.stream().filter(c -> c.booking != null).forEach(c -> told.add(c.booking.id));
        List<String> wrong = new ArrayList<>();
        for (Row booking : bookings.values()) {
            if (!booking.confirmedOnce() || told.contains(booking.id())) {
                continue;
            }
            Checkout checkout = byId.get(booking.owner());
            // Explained: the client never got the answer to a report of this checkout's payment.
            boolean explained = checkout != null && checkout.expectedStatus == null;
            if (!explained) {
                wrong.add("booking " + booking.id() + " (" + booking.status() + ") of checkout " + booking.owner()
                        + (checkout == null ? ", a checkout no client knows of" : " (" + checkout.plan + ")"));
            }
        }
        add("a booking confirmed although no client was told so (and no answer was lost)", wrong.size(), wrong);
    }

    // ---- tickets match paid seats ---------------------------------------------------------------

    private void ticketsMatchPaidSeats() {
        Set<String> sold = soldPairs();
        List<String> wrong = new ArrayList<>();
        Set<String> live = new HashSet<>();
        Map<String, Integer> issued = new HashMap<>();
        for (Object[] ticket : tickets) {
            String pair = ticket[0] + "/" + ticket[1];
            issued.merge(pair, 1, Integer::sum);
            if (Set.of("VALID", "USED").contains((String) ticket[2]) && !live.add(pair)) {
                wrong.add("two live tickets for booking/seat " + pair);
            }
        }
        live.stream().filter(pair -> !sold.contains(pair)).forEach(pair -> wrong.add("a live ticket for " + pair + ", not a paid seat"));
        sold.stream().filter(pair -> !live.contains(pair)).forEach(pair -> wrong.add("no live ticket for the paid seat " + pair));
        add("live tickets differ from the seats of CONFIRMED bookings (one per seat)", wrong.size(), wrong);
        List<String> twice = issued.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getValue() + " tickets for " + e.getKey()).toList();
        add("a ticket issued twice for one seat of one booking", twice.size(), twice);
    }

    private void bookedSeatsMatchPaidSeats() {
        Set<String> paidSeats = new HashSet<>();
        soldPairs().forEach(pair -> paidSeats.add(pair.substring(pair.indexOf('/') + 1)));
        List<String> wrong = new ArrayList<>();
        seatStatus.forEach((seat, status) -> {
            if (status.equals("BOOKED") != paidSeats.contains(seat)) {
                wrong.add("seat " + seat + " is " + status + (paidSeats.contains(seat) ? " but paid" : " but not paid"));
            }
        });
        add("a seat BOOKED that no CONFIRMED booking holds, or the reverse", wrong.size(), wrong);
    }

    /** booking/seat of every seat of a CONFIRMED booking. */
    private Set<String> soldPairs() {
        Set<String> sold = new HashSet<>();
        bookings.values().stream().filter(b -> b.status().equals("CONFIRMED"))
                .forEach(b -> bookingSeats.getOrDefault(b.id(), Set.of()).forEach(seat -> sold.add(b.id() + "/" + seat)));
        return sold;
    }

    // ---- each webhook event applied once --------------------------------------------------------

    private void eachWebhookEventAppliedOnce() throws SQLException {
        Map<String, Integer> applied = new HashMap<>();
        Set<String> sent = new HashSet<>();
        List<String> missing = new ArrayList<>();
        List<String> refusedButRecorded = new ArrayList<>();
        for (Checkout checkout : log.checkouts) {
            for (Delivery delivery : checkout.deliveries) {
                sent.add(delivery.providerEventId());
                Object[] recorded = ledger.get(delivery.providerEventId());
                if (delivery.answer() == Answer.APPLIED) {
                    applied.merge(delivery.providerEventId(), 1, Integer::sum);
                }
                if (delivery.answer() == Answer.APPLIED || delivery.answer() == Answer.DUPLICATE) {
                    if (recorded == null || !checkout.id.equals(recorded[2])
                            || !delivery.type().toUpperCase(Locale.ROOT).equals(recorded[1])) {
                        missing.add(delivery.providerEventId() + " (" + delivery.type() + " for " + checkout.id + ") answered "
                                + delivery.answer() + ", ledger: " + (recorded == null ? "none" : List.of(recorded)));
                    }
                } else if (delivery.answer() == Answer.REFUSED && recorded != null) {
                    refusedButRecorded.add(delivery.providerEventId() + " (" + delivery.type() + " for " + checkout.id
                            + ") was refused " + delivery.status() + " " + delivery.code() + " but is in the ledger");
                }
            }
        }
        List<String> twice = applied.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " answered applied " + e.getValue() + " times").toList();
        add("a provider event answered 'applied' more than once", twice.size(), twice);
        List<String> confirmedTwice = new ArrayList<>();
        for (Object[] row : Bench.rows(connection, """
                SELECT entity_type, entity_id::text, count(*) FROM ticketing.audit_log
                 WHERE event_id = ? AND entity_type IN ('payment_session', 'booking')
                   AND new_values ->> 'status' IN ('SUCCEEDED', 'CONFIRMED')
                 GROUP BY entity_type, entity_id HAVING count(*) > 1""", eventId)) {
            confirmedTwice.add(row[0] + " " + row[1] + " became SUCCEEDED/CONFIRMED " + row[2] + " times");
        }
        add("a checkout or booking made SUCCEEDED/CONFIRMED more than once (audit_log)", confirmedTwice.size(), confirmedTwice);
        add("a provider event answered applied or duplicate that is not in the webhook ledger", missing.size(), missing);
        add("a provider event refused (e.g. processing after succeeded) that is in the webhook ledger",
                refusedButRecorded.size(), refusedButRecorded);
        List<String> neverSent = ledger.keySet().stream().filter(Predicate.not(sent::contains)).toList();
        add("a webhook ledger entry of a provider event nobody sent", neverSent.size(), neverSent);
    }

    // ---- checkouts ------------------------------------------------------------------------------

    private void noCheckoutHoldsSeatsAfterExpiry() {
        Map<String, Checkout> byId = checkoutsById();
        List<String> wrong = new ArrayList<>();
        for (Row session : sessions.values()) {
            Checkout checkout = byId.get(session.id());
            boolean unreported = checkout != null && checkout.expectedStatus == null;
            if (session.status().equals("OPEN") || (session.status().equals("PROCESSING") && !unreported)) {
                wrong.add("checkout " + session.id() + " is still " + session.status() + (checkout == null ? "" : " (" + checkout.plan + ")"));
            }
        }
        add("a checkout still OPEN (or PROCESSING, its payment's end reported) after expiry", wrong.size(), wrong);
    }

    private void checkoutsEndAsTheirClientsWereTold() {
        List<String> wrong = new ArrayList<>();
        long expired = 0;
        for (Checkout checkout : log.checkouts) {
            Row session = sessions.get(checkout.id);
            if (session != null && checkout.plan.equals("abandon") && session.status().equals("EXPIRED")) {
                expired++;
            }
            if (session == null) {
                wrong.add("checkout " + checkout.id + " (" + checkout.plan + ") does not exist");
            } else if (!checkout.seats.equals(sessionSeats.getOrDefault(checkout.id, Set.of()))) {
                wrong.add("checkout " + checkout.id + " holds " + sessionSeats.get(checkout.id) + ", its client was told " + checkout.seats);
            } else if (checkout.expectedStatus != null && !checkout.expectedStatus.contains(session.status())) {
                wrong.add("checkout " + checkout.id + " (" + checkout.plan + ") is " + session.status() + ", expected "
                        + checkout.expectedStatus + "; deliveries " + checkout.deliveries);
            }
        }
        log.count("abandoned checkouts found EXPIRED (released by the sweeper)", expired);
        add("a checkout whose end state is not what its client did and was told", wrong.size(), wrong);
    }

    /**
     * Checkouts no client heard of: opened by an attempt whose answer was lost; nobody paid them, so
     * they expired. Counted by what the client was finally told: "no answer", or, when the lost
     * attempt's key was released by a 5xx and the retry ran afresh, "409 seats-unavailable" about
     * seats its own first attempt had taken.
     */
    private void unknownCheckoutsExpired() {
        Map<String, Checkout> byId = checkoutsById();
        Map<String, List<UncertainCheckout>> uncertain = new HashMap<>();
        for (UncertainCheckout attempt : log.uncertainCheckouts) {
            uncertain.computeIfAbsent(attempt.customer(), c -> new ArrayList<>()).add(attempt);
        }
        List<String> wrong = new ArrayList<>();
        for (Row session : sessions.values()) {
            if (byId.containsKey(session.id())) {
                continue;
            }
            Set<String> seats = sessionSeats.getOrDefault(session.id(), Set.of());
            UncertainCheckout explanation = uncertain.getOrDefault(session.owner(), List.of()).stream()
                    .filter(attempt -> attempt.seats().equals(seats)).findFirst().orElse(null);
            if (!session.status().equals("EXPIRED") || explanation == null) {
                wrong.add("checkout " + session.id() + " of " + session.owner() + " (" + session.status() + ", seats " + seats
                        + ") that no client was told of" + (explanation != null ? "" : ", and no request of that customer for those seats went unanswered"));
            } else {
                log.count("checkouts no client heard of (expired); the client was told: " + explanation.told());
            }
        }
        add("a checkout no client was told of that did not expire, or that no unanswered request explains", wrong.size(), wrong);
    }

    // ---- answers --------------------------------------------------------------------------------

    /**
     * Every 500 is a violation: a cut connection or an exhausted pool must answer 503 (retry later),
     * so a 500 is the API failing. Every 5xx a client saw must be in a log.
     */
    private void serverErrors(Map<String, Long> errorCauses) {
        long logged = errorCauses.values().stream().mapToLong(Long::longValue).sum();
        List<String> causes = errorCauses.entrySet().stream().map(cause -> cause.getValue() + " × " + cause.getKey()).toList();
        log.count("500 answers logged", logged);
        add("a 500 (the instances' logs name its cause)", logged, causes);
        List<LoadAndFaultLog.ServerError> seen = log.serverErrors.stream().filter(e -> e.status() != 503).toList();
        List<String> unlogged = seen.size() > logged
                ? seen.stream().map(e -> log.at(e.at()) + " " + e.request() + " answered " + e.status() + " " + e.code()).toList()
                : List.of();
        add("a 5xx (other than 503) that no instance logged", Math.max(0, seen.size() - logged), unlogged);
    }

    // ---- small things ---------------------------------------------------------------------------

    /**
     * Exactly once: every answer a client got to a request with an Idempotency-Key (the first, after a lost
     * answer, and every replay) is the answer committed with that request's effect, byte for byte.
     */
    private void answersEqualWhatTheirKeyCommitted() throws SQLException {
        Map<String, Object[]> kept = new HashMap<>();
        for (Object[] row : Bench.rows(connection, "SELECT key, response_status, response_body FROM ticketing.idempotency_key")) {
            kept.put((String) row[0], row);
        }
        List<String> examples = new ArrayList<>();
        long compared = 0;
        for (LoadAndFaultLog.KeyedAnswer answer : log.keyedAnswers) {
            compared++;
            Object[] row = kept.get(answer.key());
            if (row == null || ((Number) row[1]).intValue() != answer.status() || !answer.body().equals(row[2])) {
                examples.add(answer.customer() + " " + answer.request() + " key " + answer.key() + " was answered " + answer.status()
                        + (row == null ? ", but nothing was committed for its key" : ", but its key committed " + row[1]));
            }
        }
        log.count("answers to keyed requests compared with the committed answer", compared);
        add("an answer to a keyed request that differs from the answer its key committed", examples.size(), examples);
    }

    /** No checkout without the answer of the request that opened it: no effect committed apart from its answer, none twice. */
    private void checkoutsCommittedWithTheirAnswer() throws SQLException {
        List<String> examples = new ArrayList<>();
        for (Object[] row : Bench.rows(connection, """
                SELECT ps.id::text, count(k.key)
                  FROM ticketing.payment_session ps
                  LEFT JOIN ticketing.idempotency_key k
                         ON k.response_status = 201 AND k.response_body::jsonb ->> 'id' = ps.id::text
                 WHERE ps.event_id = ?
                 GROUP BY ps.id
                HAVING count(k.key) <> 1""", eventId)) {
            examples.add("checkout " + row[0] + " is the kept answer of " + row[1] + " requests");
        }
        add("a checkout that is not the kept answer of exactly one request", examples.size(), examples);
    }

    private Map<String, Checkout> checkoutsById() {
        Map<String, Checkout> byId = new HashMap<>();
        log.checkouts.forEach(checkout -> byId.put(checkout.id, checkout));
        return byId;
    }

    /** Counts of the end state, for the report. */
    Map<String, Long> endState() {
        Map<String, Long> counts = new LinkedHashMap<>();
        sessions.values().forEach(s -> counts.merge("checkouts " + s.status(), 1L, Long::sum));
        bookings.values().forEach(b -> counts.merge("bookings " + b.status(), 1L, Long::sum));
        tickets.forEach(t -> counts.merge("tickets " + t[2], 1L, Long::sum));
        seatStatus.values().forEach(s -> counts.merge("seats " + s, 1L, Long::sum));
        counts.put("webhook ledger entries", (long) ledger.size());
        return counts;
    }

    private void add(String name, long violations, List<String> examples) {
        checks.add(new Check(name, violations, examples.stream().limit(5).toList()));
    }
}
