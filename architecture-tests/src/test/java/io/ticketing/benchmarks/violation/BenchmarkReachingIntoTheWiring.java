package io.ticketing.benchmarks.violation;

import io.ticketing.app.violation.PoolForBenchmarks;

/** Deliberately wrong, to prove that the rules bite: a benchmark that uses the wiring's internals, not Application. */
public final class BenchmarkReachingIntoTheWiring {
    public Object pool = PoolForBenchmarks.open();
}
