package io.ticketing.migration.legacy;

import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.TicketStatus;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The explicit vocabularies that turn the legacy app's free-text statuses into the domain's enums.
 * Matching ignores case, surrounding spaces, and treats inner spaces, '-' and '_' alike
 * ("Checked In" = "checked_in"). A value not listed is unknown: its row is quarantined.
 */
public enum StatusVocabulary {

    EVENT("Event", "event", List.of("DRAFT", "PUBLISHED", "CANCELLED"), Map.of(
            EventStatus.DRAFT, List.of("draft"),
            EventStatus.PUBLISHED, List.of("published", "active", "live", "on_sale"),
            EventStatus.CANCELLED, List.of("cancelled", "canceled"))),
    SEAT("Seat", "seat", List.of("available", "reserved", "booked", "blocked"), Map.of(
            SeatStatus.AVAILABLE, List.of("available", "free", "open"),
            SeatStatus.RESERVED, List.of("reserved", "held", "hold", "on_hold"),
            SeatStatus.BOOKED, List.of("booked", "sold", "taken"),
            SeatStatus.BLOCKED, List.of("blocked", "unavailable", "disabled"))),
    BOOKING("Booking", "booking", List.of("pending", "confirmed", "cancelled"), Map.of(
            BookingStatus.PENDING, List.of("pending"),
            BookingStatus.CONFIRMED, List.of("confirmed", "paid", "completed", "active"),
            BookingStatus.CANCELLED, List.of("cancelled", "canceled"))),
    PAYMENT_SESSION("PaymentSession", "payment_session", List.of("pending", "completed", "failed", "expired", "cancelled"), Map.of(
            PaymentSessionStatus.OPEN, List.of("pending", "open", "active", "created"),
            PaymentSessionStatus.PROCESSING, List.of("processing"),
            PaymentSessionStatus.SUCCEEDED, List.of("completed", "succeeded", "success", "paid"),
            PaymentSessionStatus.FAILED, List.of("failed"),
            PaymentSessionStatus.EXPIRED, List.of("expired"),
            PaymentSessionStatus.CANCELLED, List.of("cancelled", "canceled"))),
    TICKET("Ticket", "ticket", List.of("valid", "used", "cancelled", "refunded"), Map.of(
            TicketStatus.VALID, List.of("valid", "active", "issued"),
            TicketStatus.USED, List.of("used", "checked_in", "checkedin", "scanned"),
            TicketStatus.CANCELLED, List.of("cancelled", "canceled", "void"),
            TicketStatus.REFUNDED, List.of("refunded")));

    private final String legacyTable;
    private final String kind;
    private final List<String> legacySpellings;
    private final Map<String, String> byWord = new LinkedHashMap<>();

    /** {@code words}: per value of the domain's enum, the legacy words that mean it (every value has some). */
    StatusVocabulary(String legacyTable, String kind, List<String> legacySpellings, Map<? extends Enum<?>, List<String>> words) {
        this.legacyTable = legacyTable;
        this.kind = kind;
        this.legacySpellings = legacySpellings;
        words.entrySet().stream().sorted(Comparator.comparing(e -> e.getKey().name()))
                .forEach(e -> e.getValue().forEach(word -> byWord.put(word, e.getKey().name())));
    }

    /** The kind name used in SQL ({@code map_status('seat', …)}) and in UUID derivation. */
    public String kind() {
        return kind;
    }

    public String legacyTable() {
        return legacyTable;
    }

    /** How the legacy app itself spelled its statuses; anything else is dirt, mapped or not. */
    public List<String> legacySpellings() {
        return legacySpellings;
    }

    /** What a legacy value means, or empty when the vocabulary does not know it. */
    public Optional<String> map(String legacy) {
        return legacy == null ? Optional.empty() : Optional.ofNullable(byWord.get(normalize(legacy)));
    }

    /** Same rule as the SQL function norm_status. */
    public static String normalize(String raw) {
        return raw.strip().replaceAll("[\\s_-]+", "_").toLowerCase(Locale.ROOT);
    }

    public Map<String, String> words() {
        return Map.copyOf(byWord);
    }

    /**
     * The SQL function {@code <schema>.map_status(kind, raw)} with every vocabulary inlined. Not
     * STRICT, so that PostgreSQL inlines it into the import's statements (a null gives null). A
     * value spelled as listed is looked up as it is; only the others are normalized first, whose
     * regular expressions cost more than the rest of a row's classification.
     */
    static String mapStatusFunction(String schema) {
        StringBuilder cases = new StringBuilder();
        for (StatusVocabulary vocabulary : values()) {
            vocabulary.byWord.forEach((word, label) -> cases.append("        WHEN '")
                    .append(vocabulary.kind).append(':').append(word).append("' THEN '").append(label).append("'\n"));
        }
        return "CREATE OR REPLACE FUNCTION " + schema + ".map_status(kind text, raw text) RETURNS text\n"
                + "    LANGUAGE sql IMMUTABLE PARALLEL SAFE\nAS $$\n"
                + "    SELECT coalesce(CASE kind || ':' || raw\n" + cases + "    END,\n"
                + "                    CASE kind || ':' || " + schema + ".norm_status(raw)\n" + cases + "    END)\n$$";
    }

    /**
     * The SQL function {@code <schema>.checkout_status(raw, booking_raw, expires_at, since)}: what a
     * legacy payment session's status means in the new model, given its booking's legacy status.
     * The legacy app creates the booking (pending) when the customer starts paying and leaves the
     * session 'pending' until the provider answers; the new model calls that PROCESSING (the state
     * in which a PENDING booking exists). As OPEN it would be expired by the sweeper, which would
     * free seats the booking still holds. One that expired before {@code since} (the import's
     * start) will get no answer any more: EXPIRED, and its booking is cancelled for review.
     */
    static String checkoutStatusFunction(String schema) {
        return "CREATE OR REPLACE FUNCTION " + schema + ".checkout_status(raw text, booking_raw text, expires_at timestamp, since timestamptz)"
                + " RETURNS text\n    LANGUAGE sql IMMUTABLE PARALLEL SAFE\nAS $$\n"
                + "    SELECT CASE WHEN " + schema + ".map_status('payment_session', raw) = 'OPEN'\n"
                + "                 AND " + schema + ".map_status('booking', booking_raw) = 'PENDING'\n"
                + "                THEN CASE WHEN expires_at AT TIME ZONE 'UTC' < since THEN 'EXPIRED' ELSE 'PROCESSING' END\n"
                + "                ELSE " + schema + ".map_status('payment_session', raw) END\n$$";
    }
}
