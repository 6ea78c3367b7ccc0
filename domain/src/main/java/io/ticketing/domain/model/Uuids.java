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

    public static UUID parse(String text, String what) {
        try {
            return UUID.fromString(InvalidValueException.requiredText(text, what));
        } catch (IllegalArgumentException notAUuid) {
            throw new InvalidValueException(what + " is not a UUID: " + text);
        }
    }
}
