package io.ticketing.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * The fault injector of {@link LoadAndFault}: on a random schedule drawn at the start, one thread
 * <ul>
 *   <li>kills an API instance with {@code kill -9} and starts it again a few seconds later, one
 *       instance at a time (with two, clients fail over to the other; with one, they meet
 *       "connection refused" and retry);</li>
 *   <li>terminates the API's database connections ({@code pg_terminate_backend} of every backend
 *       whose {@code application_name} is the API pool's), never its own nor the checker's.</li>
 * </ul>
 * Each fault is printed when it happens and kept for the report.
 */
final class LoadAndFaultFaults implements Runnable {

    /** The pool's connections say so (ConnectionPool sets ApplicationName). */
    static final String API_APPLICATION_NAME = "ticketing";

    enum Kind { KILL_API, CUT_DB_CONNECTIONS }

    private record Planned(long atMillis, Kind kind, int instance) {
    }

    /** A fault as it happened: when it started and ended, and what it did. */
    record Injected(Instant at, Instant until, Kind kind, String detail) {
    }

    private final LoadAndFaultApi api;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databaseName;
    private final LoadAndFaultLog log;
    private final Random random;
    private final List<Planned> plan = new ArrayList<>();
    private final List<Injected> injected = new ArrayList<>();
    private volatile boolean stopped;
    private Instant runStart;

    LoadAndFaultFaults(LoadAndFaultApi api, String databaseUrl, String databaseUser, String databaseName,
                       LoadAndFaultLog log, Random random, Duration run) {
        this.api = api;
        this.databaseUrl = databaseUrl;
        this.databaseUser = databaseUser;
        this.databaseName = databaseName;
        this.log = log;
        this.random = random;
        planFaults(run.toMillis());
    }

    /**
     * About one kill per 40 s of run (at least one), the instances in turn, and about one cut of the
     * database connections per 12 s (at least two); each at a random moment of its own slice of the
     * run, within the first 85 % so that the end of the run sees every instance up again.
     */
    private void planFaults(long runMillis) {
        long window = runMillis * 85 / 100;
        int kills = Math.max(1, (int) (runMillis / 40_000));
        for (int k = 0; k < kills; k++) {
            long from = window * k / kills + window / (kills * 5);
            long to = window * (k + 1) / kills;
            plan.add(new Planned(from + (long) (random.nextDouble() * (to - from)), Kind.KILL_API, k % api.instances().size()));
        }
        int cuts = Math.max(2, (int) (runMillis / 12_000));
        for (int c = 0; c < cuts; c++) {
            long from = window * c / cuts;
            long to = window * (c + 1) / cuts;
            plan.add(new Planned(from + (long) (random.nextDouble() * (to - from)), Kind.CUT_DB_CONNECTIONS, -1));
        }
        plan.sort(Comparator.comparingLong(Planned::atMillis));
    }

    @Override
    public void run() {
        runStart = Instant.now();
        for (Planned fault : plan) {
            long wait = fault.atMillis() - Duration.between(runStart, Instant.now()).toMillis();
            if (wait <= 0) {
                wait = 1_000 + random.nextInt(2_000); // overdue after a restart: not all at once
            }
            if (!sleepUnlessStopped(wait)) {
                return;
            }
            try {
                switch (fault.kind()) {
                    case KILL_API -> killAndRestart(api.instances().get(fault.instance()));
                    case CUT_DB_CONNECTIONS -> cutDatabaseConnections();
                }
            } catch (RuntimeException | SQLException e) {
                System.out.println(log.at() + " FAULT INJECTOR FAILED: " + e);
                log.unexpected("the fault injector failed: " + e);
            }
        }
    }

    private void killAndRestart(LoadAndFaultApi.Instance instance) {
        Instant at = Instant.now();
        api.kill(instance);
        System.out.println(log.at(at) + " FAULT: killed API instance " + instance.number + " (kill -9, port " + instance.port + ")");
        long down = 2_000 + random.nextInt(3_000);
        LoadAndFaultApi.sleep(down); // not cut short by stop(): the instance must come back either way
        api.start(instance);
        Instant until = Instant.now();
        String detail = String.format(Locale.ROOT, "instance %d killed (kill -9), restarted after %.1f s, ready again after %.1f s",
                instance.number, down / 1000.0, Duration.between(at, until).toMillis() / 1000.0);
        System.out.println(log.at(until) + " FAULT: " + detail);
        record(new Injected(at, until, Kind.KILL_API, detail));
    }

    private void cutDatabaseConnections() throws SQLException {
        Instant at = Instant.now();
        Properties properties = new Properties();
        properties.setProperty("user", databaseUser);
        properties.setProperty("password", "");
        properties.setProperty("ApplicationName", "load-and-fault-injector");
        long terminated;
        try (Connection connection = DriverManager.getConnection(databaseUrl, properties)) {
            terminated = Bench.count(connection, """
                    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))
                      FROM pg_stat_activity
                     WHERE datname = ? AND application_name = ? AND pid <> pg_backend_pid()""",
                    databaseName, API_APPLICATION_NAME);
        }
        String detail = terminated + " API database connections terminated (pg_terminate_backend)";
        System.out.println(log.at(at) + " FAULT: " + detail);
        record(new Injected(at, Instant.now(), Kind.CUT_DB_CONNECTIONS, detail));
    }

    private synchronized void record(Injected fault) {
        injected.add(fault);
    }

    synchronized List<Injected> injected() {
        return List.copyOf(injected);
    }

    /** No new fault after this; a kill in progress still restarts its instance. */
    void stop() {
        stopped = true;
        synchronized (this) {
            notifyAll();
        }
    }

    private boolean sleepUnlessStopped(long millis) {
        long until = System.currentTimeMillis() + millis;
        synchronized (this) {
            while (!stopped) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    return true;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
