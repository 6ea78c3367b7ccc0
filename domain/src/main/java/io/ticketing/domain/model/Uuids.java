package io.ticketing.domain.model;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter (method 1 of the RFC), then
 * 62 random bits. Ids made in this JVM strictly increase, so "newest first" pages are exact; ids of other
 * instances interleave by millisecond.
 */
public final class Uuids {

    /** PostgreSQL orders uuid bytewise (unsigned); {@link UUID#compareTo} compares signed longs and disagrees. */
    public static final Comparator<UUID> DATABASE_ORDER = Comparator
            .comparing((UUID id) -> id.getMostSignificantBits(), Long::compareUnsigned)
            .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COUNTER_BITS = 12;

    /** Unix milliseconds shifted left by {@link #COUNTER_BITS}, plus the counter, of the last id made. */
    private static long lastTimeAndCounter;

    private Uuids() {
    }

    public static UUID timeOrdered() {
        long timeAndCounter = nextTimeAndCounter();
        long millis = timeAndCounter >>> COUNTER_BITS;
        long counter = timeAndCounter & ((1 << COUNTER_BITS) - 1);
        long mostSignificant = (millis << 16) | (0x7L << 12) | counter;
        long leastSignificant = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    // A new millisecond starts the counter at a random value below the half, so it rarely overflows into the next one.
    private static synchronized long nextTimeAndCounter() {
        long now = System.currentTimeMillis() << COUNTER_BITS;
        lastTimeAndCounter = now > lastTimeAndCounter
                ? now | RANDOM.nextInt(1 << (COUNTER_BITS - 1))
                : lastTimeAndCounter + 1;
        return lastTimeAndCounter;
    }

    /**
     * The UUID {@code text} is, exactly as written: nothing around it, visible or not, is taken off, so that an id
     * read here is the id the API reads ({@link #exact}).
     */
    public static UUID parse(String text, String what) {
        UUID id = exact(InvalidValueException.required(text, what));
        InvalidValueException.check(id != null, what + " is not a UUID: " + text);
        return id;
    }

    /**
     * The UUID {@code text} spells in its canonical 36 characters (either case), or null: {@code UUID.fromString}
     * alone also takes "1-2-3-4-5".
     */
    public static UUID exact(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? id : null;
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
