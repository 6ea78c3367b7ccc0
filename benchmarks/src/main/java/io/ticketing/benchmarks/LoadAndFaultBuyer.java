package io.ticketing.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.benchmarks.ApiClient.Reply;
import io.ticketing.benchmarks.LoadAndFaultLog.Answer;
import io.ticketing.benchmarks.LoadAndFaultLog.Booking;
import io.ticketing.benchmarks.LoadAndFaultLog.Cancellation;
import io.ticketing.benchmarks.LoadAndFaultLog.Checkout;
import io.ticketing.benchmarks.LoadAndFaultLog.UncertainCheckout;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * One simulated buyer of {@link LoadAndFault} (one customer e-mail), together with the payment
 * provider's deliveries for its checkouts. Until the deadline it picks 1–3 adjacent seats (mostly in
 * the hot block), opens a checkout, and then abandons it, cancels it, or pays it; a paid booking is
 * sometimes cancelled. The provider misbehaves the way real ones do: duplicate deliveries (one
 * after the other, racing each other, or long after, once the booking is cancelled), {@code succeeded}
 * before {@code processing}, failed payments, and reports that arrive as the checkout expires or
 * while the customer cancels it.
 *
 * <p>Every request goes to a random instance and is sent again when it gets no answer or a 5xx
 * (the same Idempotency-Key, the same provider event id), failing over to the other instance when
 * there are two. Each answer is checked against what that request may legitimately answer at that
 * moment; anything else is recorded as unexpected. What the buyer was told goes to the
 * {@link LoadAndFaultLog}, for the checker.
 */
final class LoadAndFaultBuyer implements Runnable {

    // What a buyer does with an open checkout, and how the provider delivers the payment.
    private static final double ABANDON = 0.15;
    private static final double CANCEL_CHECKOUT = 0.10;
    private static final double CANCEL_BOOKING = 0.20;
    private static final double DOUBLE_CLICK = 0.30;
    /** What cancelling a booking that is already cancelled (or being cancelled) may answer. */
    private static final Set<String> BOOKING_CANCEL_REFUSALS = Set.of("booking-not-confirmed", "illegal-transition",
            "concurrent-modification");
    private static final double HOT = 0.80;
    private static final String[] PAYMENTS = {"in order", "succeeded delivered twice", "succeeded delivered twice at once",
            "succeeded before processing", "failed", "succeeded as the checkout expires", "succeeded racing a cancellation"};
    private static final int[] PAYMENT_WEIGHTS = {33, 12, 10, 18, 12, 5, 10};

    /** A request without an answer is retried this long (covers an instance's restart). */
    private static final Duration GIVE_UP = Duration.ofSeconds(120);
    /**
     * A request holds its Idempotency-Key by a lock of its transaction, which PostgreSQL releases when
     * the instance dies; a key still "in flight" this long means a request that hangs, and is counted.
     */
    private static final Duration GIVE_UP_IN_FLIGHT = Duration.ofSeconds(10); // the counter's name says 10 s

    private final String email;
    private final List<ApiClient> apis;
    private final String eventId;
    private final List<String> hotSeats;
    private final List<String> coldSeats;
    private final LoadAndFaultLog log;
    private final long deadlineNanos;
    private final Random random;
    private final ExecutorService racingRequests;
    private int instance;

    LoadAndFaultBuyer(int number, List<ApiClient> apis, String eventId, List<String> hotSeats, List<String> coldSeats,
                      LoadAndFaultLog log, long deadlineNanos, long seed, ExecutorService racingRequests) {
        this.email = "buyer-" + number + "@load.test";
        this.apis = apis;
        this.eventId = eventId;
        this.hotSeats = hotSeats;
        this.coldSeats = coldSeats;
        this.log = log;
        this.deadlineNanos = deadlineNanos;
        this.random = new Random(seed);
        this.racingRequests = racingRequests;
    }

    @Override
    public void run() {
        pause(random.nextInt(2_000)); // ramp up over two seconds
        while (System.nanoTime() < deadlineNanos) {
            instance = random.nextInt(apis.size()); // a load balancer's choice, per flow
            try {
                oneFlow();
            } catch (RuntimeException e) {
                log.unexpected(email + ": " + e);
                pause(1_000);
            }
        }
    }

    private void oneFlow() {
        List<String> seats = pickSeats();
        Checkout checkout = openCheckout(seats);
        if (checkout == null) {
            pause(50 + random.nextInt(200));
            return;
        }
        think();
        double choice = random.nextDouble();
        if (choice < ABANDON) {
            checkout.plan = "abandon";
            checkout.expectedStatus = Set.of("EXPIRED"); // the sweeper must release it
            log.count("checkouts abandoned (must expire)");
        } else if (choice < ABANDON + CANCEL_CHECKOUT) {
            cancelCheckout(checkout);
        } else {
            pay(checkout);
        }
        think();
    }

    // ---- seats and checkouts ----------------------------------------------------------------------

    /** 1–3 adjacent seats from a random place, in the hot block with probability {@link #HOT}. */
    private List<String> pickSeats() {
        List<String> block = random.nextDouble() < HOT ? hotSeats : coldSeats;
        int count = 1 + random.nextInt(3);
        int first = random.nextInt(block.size() - count + 1);
        return List.copyOf(block.subList(first, first + count));
    }

    private Checkout openCheckout(List<String> seats) {
        String key = UUID.randomUUID().toString();
        log.count("checkout attempts");
        Outcome outcome = untilAnswered("POST /payment-sessions", key, api -> api.checkout(email, eventId, seats, key));
        if (outcome.uncertain()) {
            // An attempt may have opened a checkout that this client never hears of: it must expire.
            log.uncertainCheckouts.add(new UncertainCheckout(email, Set.copyOf(seats),
                    outcome.unknown() ? "no answer" : outcome.reply().status() + " " + outcome.reply().code()));
        }
        if (outcome.unknown()) {
            log.count("checkouts given up without an answer");
            return null;
        }
        Reply reply = outcome.reply();
        if (reply.status() == 201) {
            JsonNode json = reply.json();
            Set<String> held = strings(json.get("seatIds"));
            if (!held.equals(Set.copyOf(seats)) || !"OPEN".equals(json.get("status").asText())) {
                log.unexpected(email + ": checkout of " + seats + " answered " + reply.body());
            }
            Checkout checkout = new Checkout(email, json.get("id").asText(), held, json.get("amount").get("amount").asText(),
                    Instant.parse(json.get("expiresAt").asText()));
            log.checkouts.add(checkout);
            log.count("checkouts opened (201)");
            return checkout;
        }
        if (reply.status() == 409 && reply.code().equals("seats-unavailable")) {
            log.count("checkouts refused: seats taken (409 seats-unavailable)");
        } else if (reply.status() == 409 && reply.code().equals("too-many-open-checkouts")) {
            log.count("checkouts refused: too many open checkouts (409)");
            pause(2_000); // this customer's abandoned checkouts have not expired yet
        } else {
            log.unexpected(email + ": checkout answered " + reply.status() + " " + reply.body());
        }
        return null;
    }

    private void cancelCheckout(Checkout checkout) {
        checkout.plan = "cancel";
        String key = UUID.randomUUID().toString();
        Outcome outcome = untilAnswered("POST /payment-sessions/{id}/cancel", key, api -> api.cancelCheckout(email, checkout.id, key));
        if (outcome.unknown()) {
            checkout.expectedStatus = null;
            log.count("checkout cancellations without an answer");
            return;
        }
        Reply reply = outcome.reply();
        if (reply.status() == 200 && "CANCELLED".equals(reply.json().get("status").asText())) {
            checkout.expectedStatus = Set.of("CANCELLED");
            log.count("checkouts cancelled (200)");
        } else if (reply.status() == 409 && reply.code().equals("illegal-transition") && pastExpiry(checkout)) {
            checkout.expectedStatus = Set.of("EXPIRED"); // it expired while the API was down
            log.count("checkout cancellations refused: expired meanwhile (409)");
        } else if (reply.status() == 409 && outcome.uncertain()) {
            checkout.expectedStatus = Set.of("CANCELLED", "EXPIRED"); // an earlier attempt may have cancelled it
            log.count("checkout cancellations refused after an unanswered attempt (409)");
        } else {
            checkout.expectedStatus = null;
            log.unexpected(email + ": cancelling checkout " + checkout.id + " answered " + reply.status() + " " + reply.body());
        }
    }

    // ---- payments -----------------------------------------------------------------------------------

    private void pay(Checkout checkout) {
        checkout.plan = pickPayment();
        log.count("payments: " + checkout.plan);
        switch (checkout.plan) {
            case "in order", "succeeded delivered twice", "succeeded delivered twice at once" -> payInOrder(checkout);
            case "succeeded before processing" -> payOutOfOrder(checkout);
            case "failed" -> payAndFail(checkout);
            case "succeeded as the checkout expires" -> payAtExpiry(checkout);
            case "succeeded racing a cancellation" -> payRacingCancellation(checkout);
            default -> throw new IllegalStateException(checkout.plan);
        }
        if (checkout.booking != null && random.nextDouble() < CANCEL_BOOKING) {
            think();
            cancelBooking(checkout.booking);
            if (checkout.plan.equals("succeeded delivered twice") && checkout.booking.cancellation == Cancellation.CANCELLED) {
                redeliverAfterCancellation(checkout);
            }
        }
    }

    /** A provider's late redelivery of succeeded must not confirm a refunded booking again. */
    private void redeliverAfterCancellation(Checkout checkout) {
        String succeededId;
        synchronized (checkout) {
            succeededId = checkout.deliveries.stream().filter(d -> d.type().equals("succeeded"))
                    .map(LoadAndFaultLog.Delivery::providerEventId).findFirst().orElseThrow();
        }
        Sent again = deliver(checkout, "succeeded", succeededId, false);
        log.count("duplicate deliveries sent after the booking was cancelled");
        if (again.answer() == Answer.DUPLICATE) {
            log.count("duplicate deliveries answered duplicate");
        } else if (again.answer() != Answer.UNKNOWN) {
            log.unexpected(email + ": succeeded " + succeededId + " redelivered after booking " + checkout.booking.id
                    + " was cancelled answered " + again);
        }
    }

    /** processing, then succeeded (once, twice, or twice at once). */
    private void payInOrder(Checkout checkout) {
        if (!processingFirst(checkout)) {
            return;
        }
        pause(random.nextInt(200));
        String succeededId = providerEventId();
        Sent succeeded;
        if (checkout.plan.equals("succeeded delivered twice at once")) {
            // Racing deliveries reach different instances when there are two, as a provider's would.
            CompletableFuture<Sent> other = CompletableFuture.supplyAsync(
                    () -> deliver(checkout, "succeeded", succeededId, true), racingRequests);
            Sent mine = deliver(checkout, "succeeded", succeededId, false);
            Sent theirs = other.join();
            succeeded = mine.answer() == Answer.APPLIED ? mine : theirs;
            expectOneApplied(checkout, mine, theirs);
        } else {
            succeeded = deliver(checkout, "succeeded", succeededId, false);
        }
        // PROCESSING no longer expires: nothing may refuse this report.
        if (succeeded.answer() == Answer.REFUSED) {
            log.unexpected(email + ": succeeded for processing checkout " + checkout.id + " refused: " + succeeded);
        }
        learnBooking(checkout, succeeded);
        if (checkout.plan.equals("succeeded delivered twice")) {
            pause(random.nextInt(300));
            Sent again = deliver(checkout, "succeeded", succeededId, false);
            log.count("duplicate deliveries sent");
            if (again.answer() == Answer.DUPLICATE) {
                log.count("duplicate deliveries answered duplicate");
            } else if (again.answer() == Answer.APPLIED) {
                log.unexpected(email + ": redelivered event " + succeededId + " was applied a second time");
            }
        }
    }

    /** The two deliveries of one event raced: exactly one may have applied it. */
    private void expectOneApplied(Checkout checkout, Sent mine, Sent theirs) {
        log.count("duplicate deliveries sent");
        long applied = List.of(mine, theirs).stream().filter(d -> d.answer() == Answer.APPLIED).count();
        long duplicate = List.of(mine, theirs).stream().filter(d -> d.answer() == Answer.DUPLICATE).count();
        if (duplicate > 0) {
            log.count("duplicate deliveries answered duplicate");
        }
        if (applied > 1) {
            log.unexpected(email + ": racing deliveries of " + mine.providerEventId() + " were both applied (checkout " + checkout.id + ")");
        } else if (applied == 0 && !mine.uncertain() && !theirs.uncertain() && duplicate == 2) {
            log.unexpected(email + ": racing deliveries of " + mine.providerEventId() + " were both answered duplicate");
        }
    }

    /** succeeded first; the late processing must be refused and change nothing. */
    private void payOutOfOrder(Checkout checkout) {
        Sent succeeded = deliver(checkout, "succeeded", providerEventId(), false);
        if (!succeededOnOpenCheckout(checkout, succeeded)) {
            return;
        }
        pause(random.nextInt(300));
        Sent late = deliver(checkout, "processing", providerEventId(), false);
        log.count("out-of-order deliveries sent (processing after succeeded)");
        if (late.answer() == Answer.REFUSED && late.code().equals("illegal-transition")) {
            log.count("out-of-order deliveries refused (409 illegal-transition)");
        } else if (late.answer() != Answer.UNKNOWN) {
            log.unexpected(email + ": processing after succeeded for " + checkout.id + " answered " + late);
        }
    }

    /** succeeded reported for an OPEN checkout: applied, or refused only because the checkout expired first. */
    private boolean succeededOnOpenCheckout(Checkout checkout, Sent succeeded) {
        if (succeeded.answer() == Answer.REFUSED) {
            if (succeeded.code().equals("illegal-transition") && pastExpiry(checkout)) {
                checkout.expectedStatus = Set.of("EXPIRED");
                log.count("payments refused: checkout expired meanwhile (409)");
            } else {
                checkout.expectedStatus = null;
                log.unexpected(email + ": succeeded for open checkout " + checkout.id + " refused: " + succeeded);
            }
            return false;
        }
        learnBooking(checkout, succeeded);
        return checkout.booking != null;
    }

    /** The report arrives within a second and a half of the hold's end: the payment races the sweeper. */
    private void payAtExpiry(Checkout checkout) {
        pause(Math.max(0, Duration.between(Instant.now(), checkout.expiresAt).toMillis() + random.nextInt(3_000) - 1_500));
        Sent succeeded = deliver(checkout, "succeeded", providerEventId(), false);
        if (succeededOnOpenCheckout(checkout, succeeded)) {
            log.count("payments at expiry: applied");
        }
    }

    /** The customer cancels the checkout while the provider reports it paid: exactly one of the two may win. */
    private void payRacingCancellation(Checkout checkout) {
        String key = UUID.randomUUID().toString();
        CompletableFuture<Outcome> cancelling = CompletableFuture.supplyAsync(() -> untilAnswered(
                "POST /payment-sessions/{id}/cancel", key, api -> api.cancelCheckout(email, checkout.id, key), true), racingRequests);
        Sent succeeded = deliver(checkout, "succeeded", providerEventId(), false);
        Outcome cancel = cancelling.join();
        boolean paid = succeeded.answer() == Answer.APPLIED || succeeded.answer() == Answer.DUPLICATE;
        boolean cancelled = !cancel.unknown() && cancel.reply().status() == 200;
        boolean cancelRefused = !cancel.unknown() && cancel.reply().status() == 409 && cancel.reply().code().equals("illegal-transition");
        boolean payRefused = succeeded.answer() == Answer.REFUSED && succeeded.code().equals("illegal-transition");
        if (!cancel.unknown() && !cancelled && !cancelRefused) {
            checkout.expectedStatus = null;
            log.unexpected(email + ": cancelling checkout " + checkout.id + " answered " + cancel.reply().status() + " " + cancel.reply().body());
        } else if (paid && cancelled) {
            checkout.expectedStatus = null;
            log.unexpected(email + ": checkout " + checkout.id + " was both paid (" + succeeded + ") and cancelled (200)");
        } else if (paid) {
            learnBooking(checkout, succeeded); // the cancellation lost, or its answer was lost: either way it did not happen
            log.count("payment/cancellation races won by the payment");
        } else if (cancelled && (payRefused || succeeded.answer() == Answer.UNKNOWN)) {
            checkout.expectedStatus = Set.of("CANCELLED");
            log.count("payment/cancellation races won by the cancellation");
        } else if (succeeded.uncertain() || cancel.uncertain()) {
            checkout.expectedStatus = null; // answers were lost: the end state is the checker's to judge
        } else {
            checkout.expectedStatus = null;
            log.unexpected(email + ": neither the payment (" + succeeded + ") nor the cancellation ("
                    + (cancel.unknown() ? "no answer" : cancel.reply().status() + " " + cancel.reply().code())
                    + ") of checkout " + checkout.id + " won");
        }
    }

    /** processing, then failed: the booking is cancelled and the seats released. */
    private void payAndFail(Checkout checkout) {
        if (!processingFirst(checkout)) {
            return;
        }
        pause(random.nextInt(200));
        Sent failed = deliver(checkout, "failed", providerEventId(), false);
        switch (failed.answer()) {
            case APPLIED -> {
                checkout.expectedStatus = Set.of("FAILED");
                if (!"FAILED".equals(failed.body().path("paymentSession").path("status").asText())
                        || !"CANCELLED".equals(failed.body().path("booking").path("status").asText())) {
                    log.unexpected(email + ": failed for " + checkout.id + " answered " + failed.body());
                }
            }
            case DUPLICATE -> checkout.expectedStatus = Set.of("FAILED");
            case UNKNOWN -> checkout.expectedStatus = null;
            case REFUSED -> {
                checkout.expectedStatus = null;
                log.unexpected(email + ": failed for processing checkout " + checkout.id + " refused: " + failed);
            }
        }
    }

    /** Delivers processing; false when the flow cannot go on (refused because the checkout expired, or no answer). */
    private boolean processingFirst(Checkout checkout) {
        Sent processing = deliver(checkout, "processing", providerEventId(), false);
        switch (processing.answer()) {
            case APPLIED -> {
                if (!"PENDING".equals(processing.body().path("booking").path("status").asText())) {
                    log.unexpected(email + ": processing for " + checkout.id + " answered " + processing.body());
                }
                return true;
            }
            case DUPLICATE -> {
                return true;
            }
            case UNKNOWN -> {
                checkout.expectedStatus = null;
                return false;
            }
            default -> {
                if (processing.code().equals("illegal-transition") && pastExpiry(checkout)) {
                    checkout.expectedStatus = Set.of("EXPIRED");
                    log.count("payments refused: checkout expired meanwhile (409)");
                } else {
                    checkout.expectedStatus = null;
                    log.unexpected(email + ": processing for open checkout " + checkout.id + " refused: " + processing);
                }
                return false;
            }
        }
    }

    /** After succeeded: the booking the client now holds, from the answer or, after a duplicate, read back. */
    private void learnBooking(Checkout checkout, Sent succeeded) {
        JsonNode booking;
        switch (succeeded.answer()) {
            case APPLIED -> {
                booking = succeeded.body().path("booking");
                JsonNode tickets = succeeded.body().path("tickets");
                if (!"SUCCEEDED".equals(succeeded.body().path("paymentSession").path("status").asText())
                        || tickets.size() != checkout.seats.size()) {
                    log.unexpected(email + ": succeeded for " + checkout.id + " answered " + succeeded.body());
                }
                for (JsonNode ticket : tickets) {
                    if (!"VALID".equals(ticket.path("status").asText())) {
                        log.unexpected(email + ": succeeded for " + checkout.id + " issued a ticket " + ticket);
                    }
                }
            }
            case DUPLICATE -> {
                // An earlier delivery (whose answer was lost, or a racing one) applied it.
                booking = bookingOfCheckout(checkout);
                log.count("bookings read back after a duplicate answer");
                if (booking == null) {
                    checkout.expectedStatus = null;
                    return;
                }
            }
            default -> {
                checkout.expectedStatus = null;
                return;
            }
        }
        Set<String> seats = new HashSet<>();
        booking.path("seats").forEach(seat -> seats.add(seat.path("seatId").asText()));
        if (!"CONFIRMED".equals(booking.path("status").asText()) || !seats.equals(checkout.seats)) {
            log.unexpected(email + ": booking of paid checkout " + checkout.id + " is " + booking);
        }
        checkout.booking = new Booking(booking.path("id").asText(), Set.copyOf(seats));
        checkout.expectedStatus = Set.of("SUCCEEDED");
        log.count("bookings confirmed to their customer");
    }

    /** The customer's booking made from {@code checkout}, found in {@code GET /bookings}; null when not found. */
    private JsonNode bookingOfCheckout(Checkout checkout) {
        String after = null;
        do {
            String path = "/bookings?limit=100" + (after == null ? "" : "&after=" + after);
            Outcome outcome = untilAnswered("GET /bookings", null, api -> api.getAsCustomer(email, path));
            if (outcome.unknown() || outcome.reply().status() != 200) {
                if (!outcome.unknown()) {
                    log.unexpected(email + ": GET " + path + " answered " + outcome.reply().status() + " " + outcome.reply().body());
                }
                return null;
            }
            JsonNode page = outcome.reply().json();
            for (JsonNode booking : page.path("items")) {
                if (checkout.id.equals(booking.path("paymentSessionId").asText())) {
                    return booking;
                }
            }
            after = page.path("nextAfter").isNull() ? null : page.path("nextAfter").asText(null);
        } while (after != null);
        log.unexpected(email + ": the provider was told its succeeded for " + checkout.id + " was a duplicate, "
                + "but the customer has no booking of that checkout");
        return null;
    }

    /**
     * The customer cancels a paid booking (a refund); sometimes with a double click: two requests
     * with different keys at once, to both instances. One refund at most: one 200, the other 409.
     */
    private void cancelBooking(Booking booking) {
        boolean doubleClick = random.nextDouble() < DOUBLE_CLICK;
        String secondKey = UUID.randomUUID().toString();
        CompletableFuture<Outcome> second = doubleClick ? CompletableFuture.supplyAsync(() -> untilAnswered(
                "POST /bookings/{id}/cancel", secondKey, api -> api.cancelBooking(email, booking.id, secondKey), true), racingRequests) : null;
        String key = UUID.randomUUID().toString();
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(untilAnswered("POST /bookings/{id}/cancel", key, api -> api.cancelBooking(email, booking.id, key)));
        if (second != null) {
            outcomes.add(second.join());
            log.count("booking cancellations double-clicked");
        }
        long cancelled = 0;
        boolean uncertain = false;
        for (Outcome outcome : outcomes) {
            uncertain |= outcome.uncertain();
            if (outcome.unknown()) {
                continue;
            }
            Reply reply = outcome.reply();
            if (reply.status() == 200 && "CANCELLED".equals(reply.json().get("status").asText())) {
                cancelled++;
            } else if (reply.status() != 409 || !BOOKING_CANCEL_REFUSALS.contains(reply.code())) {
                log.unexpected(email + ": cancelling booking " + booking.id + " answered " + reply.status() + " " + reply.body());
            }
        }
        if (cancelled > 1) {
            log.unexpected(email + ": booking " + booking.id + " was cancelled (refunded) twice");
        }
        if (cancelled >= 1) {
            booking.cancellation = Cancellation.CANCELLED;
            log.count("bookings cancelled by their customer (200)");
        } else if (uncertain) {
            booking.cancellation = Cancellation.UNKNOWN; // an attempt without an answer may have cancelled it
            log.count("booking cancellations without a definite answer");
        } else {
            booking.cancellation = Cancellation.UNKNOWN;
            log.unexpected(email + ": no cancellation of booking " + booking.id + " succeeded");
        }
    }

    /** Sends one provider event until it has an answer (first to the other instance, when asked), and records it. */
    private Sent deliver(Checkout checkout, String type, String providerEventId, boolean otherInstance) {
        Outcome outcome = untilAnswered("POST /webhooks/payments", null,
                api -> api.payment(providerEventId, type, checkout.id, checkout.amount), otherInstance);
        Sent delivery;
        if (outcome.unknown()) {
            delivery = new Sent(providerEventId, type, Answer.UNKNOWN, 0, "", true, null);
        } else {
            Reply reply = outcome.reply();
            if (reply.status() == 200) {
                JsonNode json = reply.json();
                Answer answer = "duplicate".equals(json.path("status").asText()) ? Answer.DUPLICATE : Answer.APPLIED;
                delivery = new Sent(providerEventId, type, answer, 200, "", outcome.uncertain(), json);
            } else {
                if (reply.status() != 409) {
                    log.unexpected(email + ": " + type + " for " + checkout.id + " answered " + reply.status() + " " + reply.body());
                }
                delivery = new Sent(providerEventId, type, Answer.REFUSED, reply.status(), reply.code(), outcome.uncertain(), null);
            }
        }
        synchronized (checkout) { // racing deliveries add from two threads
            checkout.deliveries.add(delivery.forLog());
        }
        log.count("webhook deliveries: " + type + " " + delivery.answer().name().toLowerCase());
        return delivery;
    }

    /** A delivery with the answer's body, as the buyer inspects it; the log keeps it without. */
    private record Sent(String providerEventId, String type, Answer answer, int status, String code, boolean uncertain,
                            JsonNode body) {
        LoadAndFaultLog.Delivery forLog() {
            return new LoadAndFaultLog.Delivery(providerEventId, type, answer, status, code, uncertain);
        }

        @Override
        public String toString() {
            return type + " " + providerEventId + ": " + answer + (status == 0 ? "" : " " + status + " " + code);
        }
    }

    // ---- sending with retries -----------------------------------------------------------------------

    /** The last answer to one logical request; null when none came. Uncertain: some attempt got no answer or a 5xx. */
    private record Outcome(Reply reply, boolean uncertain) {
        boolean unknown() {
            return reply == null;
        }
    }

    /**
     * Sends the request until it gets an answer the client can act on: without an answer (the
     * instance is down, the connection broke) or with a 5xx it is sent again, after a pause, to the
     * other instance when there are two; a 409 idempotency-key-in-flight (an earlier attempt still
     * holds the key) is waited out for a while.
     */
    private Outcome untilAnswered(String request, String key, Function<ApiClient, Reply> send) {
        return untilAnswered(request, key, send, false);
    }

    /**
     * The same; with {@code otherInstance}, first to the instance after this flow's, and without
     * moving the flow (a racing request, sent from another thread).
     */
    private Outcome untilAnswered(String request, String key, Function<ApiClient, Reply> send, boolean otherInstance) {
        int target = otherInstance ? (instance + 1) % apis.size() : instance;
        boolean uncertain = false;
        long giveUpAt = System.nanoTime() + GIVE_UP.toNanos();
        long inFlightSince = 0;
        Outcome outcome = null;
        for (int attempt = 1; outcome == null; attempt++) {
            long start = System.nanoTime();
            try {
                Reply reply = send.apply(apis.get(target));
                log.latency(request, Bench.millisSince(start));
                if (reply.status() >= 500) {
                    log.count("5xx answers (retried)");
                    log.serverError(request, reply.status(), reply.code());
                    uncertain = true;
                } else if (reply.status() == 409 && reply.code().equals("idempotency-key-in-flight")) {
                    log.count("409 idempotency-key-in-flight (retried)");
                    inFlightSince = inFlightSince == 0 ? start : inFlightSince;
                    if (System.nanoTime() - inFlightSince > GIVE_UP_IN_FLIGHT.toNanos()) {
                        log.count("requests given up: key in flight for 10 s");
                        outcome = new Outcome(null, true);
                    }
                } else {
                    if (uncertain) {
                        log.count("answers after a retry");
                    }
                    if (key != null) {
                        // Each answer to a request with a key (a 409 in flight is not one: it is retried above), the
                        // first and every replay: the checker compares it with the answer the database kept for the key.
                        log.keyedAnswers.add(new LoadAndFaultLog.KeyedAnswer(email, key, request, reply.status(), reply.body()));
                    }
                    outcome = new Outcome(reply, uncertain);
                }
            } catch (UncheckedIOException noAnswer) {
                log.count("requests without an answer (retried)");
                uncertain = true;
                target = (target + 1) % apis.size(); // fail over
            }
            if (outcome == null && System.nanoTime() > giveUpAt) {
                log.count("requests given up after " + GIVE_UP.toSeconds() + " s without an answer");
                outcome = new Outcome(null, true);
            }
            if (outcome == null) {
                pause(Math.min(2_000, 100L << Math.min(attempt, 5)) / 2 + random.nextInt(500));
            }
        }
        if (!otherInstance) {
            instance = target; // the flow stays where it last got an answer
        }
        return outcome;
    }

    // ---- small things -------------------------------------------------------------------------------

    private String pickPayment() {
        int total = 0;
        for (int weight : PAYMENT_WEIGHTS) {
            total += weight;
        }
        int pick = random.nextInt(total);
        for (int i = 0; i < PAYMENTS.length; i++) {
            pick -= PAYMENT_WEIGHTS[i];
            if (pick < 0) {
                return PAYMENTS[i];
            }
        }
        throw new IllegalStateException();
    }

    private static String providerEventId() {
        return "evt_" + UUID.randomUUID();
    }

    /** The checkout's hold ran out (a second early: the sweeper runs on the API's clock). */
    private static boolean pastExpiry(Checkout checkout) {
        return Instant.now().isAfter(checkout.expiresAt.minusSeconds(1));
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(value -> values.add(value.asText()));
        return Set.copyOf(values);
    }

    /** A person's pause between two steps. */
    private void think() {
        pause(50 + random.nextInt(250));
    }

    private static void pause(long millis) {
        LoadAndFaultApi.sleep(millis);
    }
}
