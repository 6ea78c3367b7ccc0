package io.ticketing.persistence.mybatis;

import io.ticketing.database.DatabaseErrors;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a read replica may serve the reads that can be a moment old: it answers, and it is at most
 * {@code maxLag} behind its primary. {@link #check} asks the replica (the application calls it about every second,
 * never per request, on a connection of its own); between checks {@link #status} answers from memory. A read that
 * fails on the replica does not take it out of use: under a storm a read may wait too long for a connection of a
 * replica that is well, and the check, which does not wait behind the reads, tells a dead replica within a second.
 */
public final class ReplicaHealth {

    public enum State {
        IN_USE("in-use"), LAGGING("lagging"), DOWN("down");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** As /ready says it. */
        public String label() {
            return label;
        }
    }

    /** The replica's state, its lag when it answered, and why, in words for the operator. */
    public record Status(State state, Optional<Duration> lag, String detail) {
        public Status {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(lag, "lag");
            Objects.requireNonNull(detail, "detail");
        }

        public boolean inUse() {
            return state == State.IN_USE;
        }
    }

    /** How often the application checks: often enough to stop using a replica soon, rarely enough to cost nothing. */
    public static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final Sessions replica;
    private final Sessions primary;
    private final Duration maxLag;
    /** Which database of which cluster the primary is, once it answered: what the replica must hold. */
    private volatile ReplicaLagMapper.Position primaryIdentity;
    private volatile Status status = new Status(State.DOWN, Optional.empty(), "not checked yet");
    /** System.nanoTime() of the last check that found the replica in use. */
    private volatile long inUseAt = System.nanoTime() - Duration.ofDays(1).toNanos();

    public ReplicaHealth(Sessions replica, Sessions primary, Duration maxLag) {
        this.replica = Objects.requireNonNull(replica, "replica");
        this.primary = Objects.requireNonNull(primary, "primary");
        this.maxLag = Objects.requireNonNull(maxLag, "maxLag");
    }

    /** Asks the replica how far behind it is, and remembers the answer. */
    public Status check() {
        Status checked;
        try {
            ReplicaLagMapper.Position position = replica.withMapper(ReplicaLagMapper.class, ReplicaLagMapper::position);
            checked = holdsThePrimarysData(position).orElseGet(() -> judge(position));
        } catch (RuntimeException e) {
            checked = new Status(State.DOWN, Optional.empty(), "replica not reachable: " + DatabaseErrors.oneLine(e));
        }
        status = checked;
        if (checked.inUse()) {
            inUseAt = System.nanoTime();
        }
        return checked;
    }

    /**
     * Empty if the replica holds the primary's database (the same database of the same cluster: a streaming replica has
     * its primary's system identifier); else why it is not used. A URL of another server, or of another database of the
     * primary's replica, would show customers events that are not the primary's. The primary is asked once.
     */
    private Optional<Status> holdsThePrimarysData(ReplicaLagMapper.Position replicaPosition) {
        ReplicaLagMapper.Position expected = primaryIdentity;
        if (expected == null) {
            try {
                expected = primary.withMapper(ReplicaLagMapper.class, ReplicaLagMapper::position);
            } catch (RuntimeException e) {
                return Optional.of(new Status(State.DOWN, Optional.empty(), "not compared with the primary yet, which is not "
                        + "reachable: " + DatabaseErrors.oneLine(e)));
            }
            primaryIdentity = expected;
        }
        if (replicaPosition.sameDataAs(expected)) {
            return Optional.empty();
        }
        return Optional.of(new Status(State.DOWN, Optional.empty(), "the read URL names database " + replicaPosition.database()
                + " of cluster " + Long.toUnsignedString(replicaPosition.systemIdentifier()) + ", not the primary's (database "
                + expected.database() + " of cluster " + Long.toUnsignedString(expected.systemIdentifier()) + "): reads go to the primary"));
    }

    /**
     * In use by a check at most {@code recently} ago: a check that hangs (a replica that stopped answering without
     * closing its connections) leaves the last status in place, and this tells it apart from a fresh one.
     */
    public boolean inUseWithin(Duration recently) {
        return status.inUse() && System.nanoTime() - inUseAt <= recently.toNanos();
    }

    private Status judge(ReplicaLagMapper.Position position) {
        if (!position.inRecovery()) {
            // The primary's own data (the primary itself, or a standby promoted in its place).
            return new Status(State.IN_USE, Optional.of(Duration.ZERO), "the read URL names a server that is not a standby");
        }
        if (position.lagSeconds() == null) {
            return new Status(State.LAGGING, Optional.empty(), "replica has replayed no transaction since it started and has WAL left to replay");
        }
        Duration lag = Duration.ofNanos(Math.round(position.lagSeconds() * 1e9));
        return lag.compareTo(maxLag) > 0
                ? new Status(State.LAGGING, Optional.of(lag), "replica is " + seconds(lag) + " behind, more than the "
                        + seconds(maxLag) + " allowed: reads go to the primary")
                : new Status(State.IN_USE, Optional.of(lag), "replica is " + seconds(lag) + " behind");
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }

    public Status status() {
        return status;
    }

    public Duration maxLag() {
        return maxLag;
    }
}
