package io.ticketing.domain.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

public record PaymentSessionId(UUID value) implements Comparable<PaymentSessionId> {

    /** The longest id a checkout is named by in a provider's report: a legacy app's ids (cuids, UUIDs) are far shorter. */
    public static final int MAX_NAME_LENGTH = 255;

    public PaymentSessionId {
        InvalidValueException.required(value, "PaymentSessionId");
    }

    public static PaymentSessionId newId() {
        return new PaymentSessionId(Uuids.timeOrdered());
    }

    public static PaymentSessionId parse(String text) {
        return new PaymentSessionId(Uuids.parse(text, "PaymentSessionId"));
    }

    /**
     * The id {@code legacy import} gave the checkout the legacy app named {@code legacyId}, by the import's rule
     * (migration's legacy/import-support.sql, {@code legacy_uuid('payment_session', id)}): a UUID in its canonical
     * lower-case form stays itself; any other id (a cuid, an upper-case UUID) becomes the name-based UUID (version 3)
     * of {@code ticketing-legacy:payment_session:<legacy id>}, so that ids differing in case stay two checkouts.
     */
    public static PaymentSessionId migratedFrom(String legacyId) {
        UUID kept = Uuids.exact(InvalidValueException.required(legacyId, "legacyId"));
        return new PaymentSessionId(kept != null && kept.toString().equals(legacyId) ? kept
                : UUID.nameUUIDFromBytes(("ticketing-legacy:payment_session:" + legacyId).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The checkouts a payment provider may mean by {@code name}, the one to prefer first: the checkout migrated from the
     * legacy checkout named exactly so (the provider knows those by the legacy app's id), then the UUID it spells (a
     * checkout's own id, written in upper case). Exactly first: the legacy app may have had two checkouts whose ids differ
     * only in case, which the import keeps apart, and the upper-case one must not be taken for the lower-case one. One
     * when both are the same; none when {@code name} can be neither: empty, longer than {@link #MAX_NAME_LENGTH}, or
     * with a character that shows nothing (a space, a control character).
     */
    public static List<PaymentSessionId> knownAs(String name) {
        if (name == null || name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_LENGTH
                || name.codePoints().anyMatch(VisibleText::showsNothing)) {
            return List.of();
        }
        UUID spelled = Uuids.exact(name);
        PaymentSessionId migrated = migratedFrom(name);
        return spelled == null || spelled.equals(migrated.value()) ? List.of(migrated)
                : List.of(migrated, new PaymentSessionId(spelled));
    }

    @Override
    public int compareTo(PaymentSessionId other) {
        return Uuids.DATABASE_ORDER.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
