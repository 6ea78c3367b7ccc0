package io.ticketing.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulated clients of {@link LoadAndFault} were told, kept in memory and shared by all
 * buyer threads: every checkout opened (and what became of it in the client's eyes), every booking
 * confirmed to a client, every webhook delivery and its answer, every answer the API should not
 * have given, and counters and latencies for the report. A request that never got an answer is
 * recorded as unknown; the checker resolves it against the database.
 *
 * <p>A {@link Checkout} is written by the one buyer thread that owns it and read by the checker only
 * after every buyer thread has ended (the join orders the two).
 */
final class LoadAndFaultLog {

    /** What a webhook delivery (all its retries of one provider event) was answered. */
    enum Answer { APPLIED, DUPLICATE, REFUSED, UNKNOWN }

    /** One provider event as the provider sent it, with the last answer it got. */
    record Delivery(String providerEventId, String type, Answer answer, int status, String code, boolean uncertain) {
    }

    /** The customer's cancellation of a booking, as the customer saw it. */
    enum Cancellation { NOT_ASKED, CANCELLED, UNKNOWN }

    /** A booking the API told its customer is confirmed (by a webhook answer, or read back after a duplicate). */
    static final class Booking {
        final String id;
        final Set<String> seats;
        Cancellation cancellation = Cancellation.NOT_ASKED;

        Booking(String id, Set<String> seats) {
            this.id = id;
            this.seats = seats;
        }
    }

    /** A checkout a client was told it opened (201), and what it did with it. */
    static final class Checkout {
        final String customer;
        final String id;
        final Set<String> seats;
        final String amount;
        final Instant expiresAt;
        /** abandon, cancel, or one of the payment variants. */
        String plan = "";
        final List<Delivery> deliveries = new ArrayList<>();
        /** The end states that agree with what the client was told; null when an answer never came. */
        Set<String> expectedStatus;
        Booking booking;

        Checkout(String customer, String id, Set<String> seats, String amount, Instant expiresAt) {
            this.customer = customer;
            this.id = id;
            this.seats = seats;
            this.amount = amount;
            this.expiresAt = expiresAt;
        }
    }

    /**
     * A checkout request with an attempt that got no answer (or a 5xx): it may have opened a
     * checkout that nobody will pay. {@code told} is the answer the client finally got.
     */
    record UncertainCheckout(String customer, Set<String> seats, String told) {
    }

    /** An answer (below 500) a client got to a request with an Idempotency-Key, whether run or replayed. */
    record KeyedAnswer(String customer, String key, String request, int status, String body) {
    }

    /** An answer with status 5xx, and when. */
    record ServerError(Instant at, String request, int status, String code) {
    }

    final Instant start = Instant.now();
    final ConcurrentLinkedQueue<Checkout> checkouts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<UncertainCheckout> uncertainCheckouts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ServerError> serverErrors = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<KeyedAnswer> keyedAnswers = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<String> countOrder = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Double>> latencies = new ConcurrentHashMap<>();
    private final List<String> latencyOrder = new CopyOnWriteArrayList<>();

    void count(String what) {
        count(what, 1);
    }

    void count(String what, long n) {
        counts.computeIfAbsent(what, name -> {
            countOrder.add(name);
            return new LongAdder();
        }).add(n);
    }

    long countOf(String what) {
        LongAdder adder = counts.get(what);
        return adder == null ? 0 : adder.sum();
    }

    /** Counters in the order they were first used. */
    List<Map.Entry<String, Long>> counts() {
        return countOrder.stream().map(name -> Map.entry(name, counts.get(name).sum())).toList();
    }

    void latency(String request, double millis) {
        latencies.computeIfAbsent(request, name -> {
            latencyOrder.add(name);
            return new ConcurrentLinkedQueue<>();
        }).add(millis);
    }

    /** Latencies of answered requests, by kind of request, in the order first seen. */
    List<Map.Entry<String, List<Double>>> latencies() {
        return latencyOrder.stream().map(name -> Map.entry(name, List.copyOf(latencies.get(name)))).toList();
    }

    /** An answer the API should not have given, in a client's eyes: a violation. */
    void unexpected(String what) {
        String line = at() + " " + what;
        unexpected.add(line);
        System.out.println("UNEXPECTED " + line);
    }

    void serverError(String request, int status, String code) {
        serverErrors.add(new ServerError(Instant.now(), request, status, code));
    }

    /** Seconds since the start, as the run's log lines show times. */
    String at() {
        return at(Instant.now());
    }

    String at(Instant instant) {
        return String.format(Locale.ROOT, "t+%.1fs", Duration.between(start, instant).toMillis() / 1000.0);
    }
}
