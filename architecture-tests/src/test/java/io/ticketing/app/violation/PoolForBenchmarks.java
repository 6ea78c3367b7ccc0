package io.ticketing.app.violation;

/** Deliberately wrong, to prove that the rules bite: a public class of the wiring besides its entry points. */
public final class PoolForBenchmarks {
    public static Object open() {
        return new Object();
    }
}
