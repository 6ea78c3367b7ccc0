package io.ticketing.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * One client of {@link Contention}: a customer racing the others for the seats of the hot block. It
 * checks out 1–3 seats it last saw available, reads the available seats again after each refusal,
 * and otherwise either pays (a signed webhook, to any instance) or, sometimes, cancels the checkout.
 * Before each attempt it may cancel its oldest booking, so that seats keep coming back and the race
 * lasts the whole run. It keeps its own record of the seats it was told it bought and still holds.
 */
final class ContentionRacer {

    /** A checkout refused because its seats were taken: at the policy's check, or at the seat lock (a race lost). */
    static final Set<String> SEATS_TAKEN = Set.of("seats-unavailable");
    /** Of the checkouts that succeed, this share is cancelled instead of paid. */
    static final double CANCEL_CHECKOUT = 0.2;
    /** Before each attempt, the chance to cancel the oldest booking held (seats go back to the race). */
    static final double CANCEL_BOOKING = 0.3;
    private static final int MAX_SEATS = 3;

    /** What one round of this client saw. */
    static final class Tally {
        final List<Double> soldMillis = new ArrayList<>();     // checkout answered 201
        final List<Double> refusedMillis = new ArrayList<>();  // checkout answered 409, seats taken
        final Map<String, Integer> refusals = new LinkedHashMap<>();
        final List<String> unexpected = new ArrayList<>();
        int paid;
        int checkoutsCancelled;
        int bookingsCancelled;
    }

    private final String email;
    private final ApiClient api;
    private final List<ApiClient> webhookTargets;
    private final String eventId;
    private final List<String> block;
    private final Random random;
    private final Deque<Map.Entry<String, List<String>>> held = new ArrayDeque<>(); // booking id → its seats, oldest first
    private List<String> seen = List.of();

    ContentionRacer(int number, ApiClient api, List<ApiClient> webhookTargets, String eventId, List<String> block) {
        this.email = "racer" + number + "@example.com";
        this.api = api;
        this.webhookTargets = webhookTargets;
        this.eventId = eventId;
        this.block = block;
        this.random = new Random(number);
    }

    /** Races until {@code deadline} (System.nanoTime); never throws: what went wrong is in the tally. */
    Tally race(long deadline) {
        Tally tally = new Tally();
        while (System.nanoTime() < deadline) {
            try {
                attempt(tally);
            } catch (UncheckedIOException | IllegalStateException e) {
                tally.unexpected.add("no usable answer: " + e.getMessage());
            }
        }
        return tally;
    }

    /** Booking id → its seats, for every booking this client was told it bought and has not cancelled. */
    Map<String, List<String>> holdings() {
        Map<String, List<String>> holdings = new LinkedHashMap<>();
        held.forEach(entry -> holdings.put(entry.getKey(), entry.getValue()));
        return holdings;
    }

    private void attempt(Tally tally) {
        if (!held.isEmpty() && random.nextDouble() < CANCEL_BOOKING) {
            Map.Entry<String, List<String>> oldest = held.peekFirst();
            ApiClient.Reply cancelled = api.cancelBooking(email, oldest.getKey(), UUID.randomUUID().toString());
            if (expected(tally, "cancel booking", cancelled, 200)) {
                held.removeFirst();
                tally.bookingsCancelled++;
            }
        }
        int want = 1 + random.nextInt(MAX_SEATS);
        if (seen.size() < want) {
            seen = available();
        }
        List<String> wanted = pick(seen.size() >= want ? seen : block, want);
        long began = System.nanoTime();
        ApiClient.Reply checkout = api.checkout(email, eventId, wanted, UUID.randomUUID().toString());
        double millis = Bench.millisSince(began);
        if (checkout.status() == 409 && SEATS_TAKEN.contains(checkout.code())) {
            tally.refusedMillis.add(millis);
            tally.refusals.merge(checkout.code(), 1, Integer::sum);
            seen = available(); // read again, choose again
            return;
        }
        if (!expected(tally, "checkout", checkout, 201)) {
            return;
        }
        tally.soldMillis.add(millis);
        seen = seen.stream().filter(seat -> !wanted.contains(seat)).toList();
        String sessionId = checkout.json().get("id").asText();
        if (random.nextDouble() < CANCEL_CHECKOUT) {
            if (expected(tally, "cancel checkout", api.cancelCheckout(email, sessionId, UUID.randomUUID().toString()), 200)) {
                tally.checkoutsCancelled++;
            }
            return;
        }
        ApiClient provider = webhookTargets.get(random.nextInt(webhookTargets.size()));
        ApiClient.Reply paid = provider.payment("evt_" + UUID.randomUUID(), "succeeded", sessionId,
                checkout.json().get("amount").get("amount").asText());
        if (expected(tally, "payment webhook", paid, 200)) {
            JsonNode answer = paid.json();
            if (!"applied".equals(answer.path("status").asText())) {
                tally.unexpected.add("payment webhook: " + paid.body());
                return;
            }
            held.addLast(Map.entry(answer.get("booking").get("id").asText(), List.copyOf(wanted)));
            tally.paid++;
        }
    }

    private boolean expected(Tally tally, String request, ApiClient.Reply reply, int status) {
        if (reply.status() == status) {
            return true;
        }
        tally.unexpected.add(request + ": " + reply.status() + " " + reply.body());
        return false;
    }

    /** The seats of the event available now, as anyone may read them ({@code GET /events/{id}/seats}, every page). */
    private List<String> available() {
        List<String> seats = new ArrayList<>();
        ApiClient.Reply reply = api.seatMap(eventId, Map.of(), seat -> seats.add(seat.get("id").asText()));
        if (reply.status() != 200) {
            throw new IllegalStateException("GET seats answered " + reply.status() + " " + reply.body());
        }
        return seats;
    }

    private List<String> pick(List<String> from, int count) {
        List<String> shuffled = new ArrayList<>(from);
        Collections.shuffle(shuffled, random);
        return List.copyOf(shuffled.subList(0, Math.min(count, shuffled.size())));
    }
}
