package io.ticketing.app;

import io.ticketing.api.web.ServingGate;
import io.ticketing.database.DatabaseErrors;
import io.ticketing.migration.legacy.LegacyImportState;
import io.ticketing.migration.legacy.ServingInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This process's leave to write to the database, renewed every {@link ServingInstance#RENEW_EVERY} in the database's
 * list of running instances: valid for {@link ServingInstance#LEASE} after a renewal that found the schema servable,
 * closed at once when one finds it is not (a legacy import or rollback has begun). While it is closed, the API refuses
 * the requests that use the database (503 not-serving) and the background workers skip their runs; `legacy import`
 * and `legacy rollback` refuse to start while it is renewed.
 */
final class ServingLease implements ServingGate, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServingLease.class);

    private final DataSource dataSource;
    private final ServingInstance instance;
    /** Replaced whole, so that a request never reads the time of one renewal with the reason of another. */
    private volatile State state = new State(System.nanoTime(), "not yet renewed", null);
    private boolean registered;
    private boolean closed;
    /** A thread of its own: the background workers' long runs (a cancellation, a refresh) must not delay a renewal. */
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ticketing-lease");
        thread.setDaemon(true);
        return thread;
    });

    private ServingLease(DataSource dataSource, String command) {
        this.dataSource = dataSource;
        this.instance = new ServingInstance(command);
    }

    /**
     * Registers {@code command} as a running instance, then asks whether the schema may be served (in that order, so
     * that an import or a rollback starting meanwhile either sees this instance or is seen by it), and renews the lease
     * from then on. Refused, the instance unregistered, when the schema may not be served.
     */
    static ServingLease take(DataSource dataSource, String command) {
        ServingLease lease = new ServingLease(dataSource, command);
        lease.renew();
        Optional<String> closed = lease.closedBecause();
        if (closed.isPresent()) {
            lease.close();
            throw new CliException(command + " refused: " + closed.get(), null);
        }
        long every = ServingInstance.RENEW_EVERY.toMillis();
        lease.renewals.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        return lease;
    }

    /**
     * @param validUntil    {@link System#nanoTime()} until which this process may write
     * @param closedBecause why the last renewal did not extend it, or null
     * @param closedForGood why this instance may never write again (its database was rolled back under it), or null
     */
    private record State(long validUntil, String closedBecause, String closedForGood) {
    }

    private synchronized void renew() {
        if (closed || state.closedForGood() != null) {
            return;
        }
        long asked = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            if (instance.renew(connection) && registered) {
                stopForGood("its registration is gone: the schema it served was dropped and made again (a legacy rollback, "
                        + "then an import?), or the row deleted");
                return;
            }
            registered = true;
            LegacyImportState legacy = LegacyImportState.of(connection);
            if (legacy.servable()) {
                if (state.closedBecause() != null) {
                    LOG.info("this instance serves: {}", legacy.detail());
                }
                state = new State(asked + ServingInstance.LEASE.toNanos(), null, null);
            } else {
                if (!legacy.detail().equals(state.closedBecause())) {
                    LOG.warn("this instance stops serving: {}", legacy.detail());
                }
                state = new State(asked, legacy.detail(), null);
            }
        } catch (SQLException e) {
            if (registered && DatabaseErrors.isUndefinedTable(e)) {
                stopForGood("the schema it served is gone (a legacy rollback?)");
                return;
            }
            failed(e);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * The database this process served was rolled back under it: what it stored at its start (the admin key of
     * TICKETING_ADMIN_API_KEY) went with the schema, so it serves no more, rather than refuse its own keys.
     */
    private void stopForGood(String why) {
        state = new State(System.nanoTime(), state.closedBecause(), "this instance stopped serving for good: " + why + "; restart it");
        LOG.error(state.closedForGood());
    }

    /** A renewal that failed: the lease runs out unless the next one succeeds. */
    private void failed(Exception e) {
        String why = "this instance could not confirm that it may write ("
                + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()) + ")";
        State last = state;
        if (last.closedBecause() == null) {
            LOG.warn("{}; it stops serving {} s after its last confirmation unless the next one, in {} s, succeeds", why,
                    ServingInstance.LEASE.toSeconds(), ServingInstance.RENEW_EVERY.toSeconds());
        }
        state = new State(last.validUntil(), why, last.closedForGood());
    }

    @Override
    public Optional<String> closedBecause() {
        State now = state;
        if (now.closedForGood() != null) {
            return Optional.of(now.closedForGood());
        }
        if (System.nanoTime() - now.validUntil() < 0) {
            return Optional.empty();
        }
        String why = now.closedBecause();
        return Optional.of(why == null ? "this instance has not confirmed for " + ServingInstance.LEASE.toSeconds()
                + " s that it may write" : why);
    }

    /** Unregisters this instance, for good: an import or a rollback need not wait for its row to age. */
    @Override
    public synchronized void close() {
        renewals.shutdownNow();
        closed = true;
        state = new State(System.nanoTime(), "stopping", state.closedForGood());
        try (Connection connection = dataSource.getConnection()) {
            instance.forget(connection);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not unregister this instance ({}): an import or a rollback waits {} s before it forgets it", DatabaseErrors.oneLine(e),
                    ServingInstance.FORGOTTEN_AFTER.toSeconds());
        }
    }
}
