package io.ticketing.benchmarks;

import io.ticketing.benchmarks.ContentionRacer.Tally;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The numbers of {@link Contention}: per round on the console, all rounds in its section of docs/benchmarks.md. */
final class ContentionReport {

    record Settings(int clients, int seats, int instances, int pool, int seconds, int rounds, int warmUp) {
    }

    /** One round (0 = the warm-up): the clients' tallies, its wall time, and the checks after it (check → violations). */
    record Round(int number, List<Tally> tallies, double seconds, Map<String, Long> checks) {
        long violations() {
            return checks.values().stream().mapToLong(Long::longValue).sum();
        }

        long unexpected() {
            return tallies.stream().mapToLong(t -> t.unexpected.size()).sum();
        }
    }

    private ContentionReport() {
    }

    /** The sums of some rounds' tallies. */
    private record Totals(List<Double> sold, List<Double> refused, Map<String, Integer> refusals, List<String> unexpected,
                          long paid, long checkoutsCancelled, long bookingsCancelled, double seconds) {
        static Totals of(List<Round> rounds) {
            List<Tally> tallies = rounds.stream().flatMap(r -> r.tallies().stream()).toList();
            Map<String, Integer> refusals = new TreeMap<>();
            tallies.forEach(t -> t.refusals.forEach((code, n) -> refusals.merge(code, n, Integer::sum)));
            return new Totals(all(tallies, t -> t.soldMillis), all(tallies, t -> t.refusedMillis), refusals, all(tallies, t -> t.unexpected),
                    tallies.stream().mapToLong(t -> t.paid).sum(), tallies.stream().mapToLong(t -> t.checkoutsCancelled).sum(),
                    tallies.stream().mapToLong(t -> t.bookingsCancelled).sum(), rounds.stream().mapToDouble(Round::seconds).sum());
        }

        long attempts() {
            return sold.size() + refused.size() + unexpected.stream().filter(u -> u.startsWith("checkout")).count();
        }

        List<Double> checkouts() {
            List<Double> all = new ArrayList<>(sold);
            all.addAll(refused);
            return all;
        }

        private static <T> List<T> all(List<Tally> tallies, Function<Tally, List<T>> part) {
            return tallies.stream().flatMap(t -> part.apply(t).stream()).toList();
        }
    }

    static void print(Round round) {
        Totals t = Totals.of(List.of(round));
        System.out.printf(Locale.ROOT, "%s: %d attempts in %.1f s (%.0f/s): %d sold (201), %d refused %s, %d unexpected; "
                        + "%d paid, %d checkouts and %d bookings cancelled%n",
                name(round), t.attempts(), t.seconds(), t.attempts() / t.seconds(), t.sold().size(), t.refused().size(), t.refusals(),
                t.unexpected().size(), t.paid(), t.checkoutsCancelled(), t.bookingsCancelled());
        System.out.println("  checkout latency: sold " + percentiles(t.sold()) + "; refused " + percentiles(t.refused()));
        t.unexpected().stream().distinct().limit(10).forEach(u -> System.out.println("  UNEXPECTED " + u));
        round.checks().forEach((check, n) -> System.out.printf("  %s %s: %d%n", n == 0 ? "ok  " : "FAIL", check, n));
    }

    static String document(String machine, String command, Settings s, int seats, List<Round> rounds) {
        StringBuilder doc = new StringBuilder();
        doc.append("## Contention: many clients racing for the same seats\n\n");
        doc.append("```\n").append(command).append("\n```\n\n");
        doc.append(machine).append(". Server settings: ").append(Bench.settings()).append(".\n\n");
        doc.append(String.format(Locale.ROOT, """
                One database, migrated; %d instances of the real API served in the benchmark's process, each with its own
                connection pool of %d (the application's default); one published event of %d seats, all of them the hot
                block. %d client threads, each its own customer, clients split between the instances (client i calls
                instance i mod %d), race for %d rounds of %d s after a %d s warm-up: check out 1–3 seats last seen available (after a refusal,
                read `GET /events/{id}/seats` again); on 201 pay by a signed `succeeded` webhook sent to either instance at
                random, or (%.0f%% of them) cancel the checkout; before each attempt, cancel the oldest booking held with a
                chance of %.0f%%, so that seats come back and the race goes on all run long. Latency is that of the checkout call
                alone (`POST /payment-sessions`): sold = 201, refused = 409 `seats-unavailable` because a seat was taken
                (whether the checkout's own read found it taken or the race was lost at the seat lock).
                Any other answer, or none, is unexpected. After each round, with every client at rest, SQL checks the
                invariants below; the clients' records (each booking they were told succeeded and have not cancelled) are
                compared with the live tickets.

                """, s.instances(), s.pool(), seats, s.clients(), s.instances(), s.rounds(), s.seconds(), s.warmUp(),
                ContentionRacer.CANCEL_CHECKOUT * 100, ContentionRacer.CANCEL_BOOKING * 100));
        List<Round> measured = rounds.stream().filter(r -> r.number() > 0).toList();
        List<List<String>> rows = new ArrayList<>();
        for (Round round : measured) {
            rows.add(row(name(round), Totals.of(List.of(round))));
        }
        rows.add(row("**all**", Totals.of(measured)));
        doc.append(Bench.table(List.of("round", "attempts", "attempts/s", "sold (201)", "refused (409)", "unexpected", "paid bookings/s",
                "sold p50 / p95 / p99", "refused p50 / p95 / p99", "all checkouts p99"), rows));
        Totals all = Totals.of(measured);
        doc.append(String.format(Locale.ROOT, "%nRefusals by code: %s. Checkouts cancelled: %d; bookings cancelled: %d.%n",
                all.refusals(), all.checkoutsCancelled(), all.bookingsCancelled()));
        List<String> unexpected = Totals.of(rounds).unexpected();
        if (!unexpected.isEmpty()) {
            doc.append("\nUnexpected answers, the warm-up included (first 10 distinct):\n\n");
            unexpected.stream().distinct().limit(10).forEach(u -> doc.append("- `").append(u.replace('`', '\'')).append("`\n"));
        }
        doc.append("\nInvariants after each round, the warm-up included (violations; all must be 0):\n\n");
        List<String> header = new ArrayList<>(List.of("check"));
        rounds.forEach(r -> header.add(name(r)));
        List<List<String>> checks = new ArrayList<>();
        for (String check : rounds.get(0).checks().keySet()) {
            List<String> row = new ArrayList<>(List.of(check));
            rounds.forEach(r -> row.add(Long.toString(r.checks().get(check))));
            checks.add(row);
        }
        doc.append(Bench.table(header, checks));
        boolean clean = rounds.stream().allMatch(r -> r.violations() == 0 && r.unexpected() == 0);
        doc.append(clean ? "\n**No seat was sold twice**, no invariant was violated and no answer was unexpected.\n"
                : "\n**VIOLATIONS OR UNEXPECTED ANSWERS: see above.**\n");
        return doc.toString();
    }

    private static String name(Round round) {
        return round.number() == 0 ? "warm-up" : "round " + round.number();
    }

    private static List<String> row(String label, Totals t) {
        return List.of(label, String.format(Locale.ROOT, "%,d", t.attempts()), String.format(Locale.ROOT, "%.0f", t.attempts() / t.seconds()),
                String.format(Locale.ROOT, "%,d", t.sold().size()), String.format(Locale.ROOT, "%,d", t.refused().size()),
                Integer.toString(t.unexpected().size()), String.format(Locale.ROOT, "%.1f", t.paid() / t.seconds()),
                percentiles(t.sold()), percentiles(t.refused()), Bench.ms(Bench.percentile(t.checkouts(), 99)));
    }

    private static String percentiles(List<Double> millis) {
        return Bench.ms(Bench.percentile(millis, 50)) + " / " + Bench.ms(Bench.percentile(millis, 95)) + " / "
                + Bench.ms(Bench.percentile(millis, 99));
    }
}
