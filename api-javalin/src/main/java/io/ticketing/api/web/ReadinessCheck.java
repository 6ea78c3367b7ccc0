package io.ticketing.api.web;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether the application can serve: its database is reachable and its schema is current. With a read
 * replica, also whether the replica serves the reads that may be a moment old (it never makes the
 * application unready: the primary serves those reads meanwhile).
 */
@FunctionalInterface
public interface ReadinessCheck {

    Readiness check();

    record Readiness(boolean isReady, String detail, Optional<ReplicaReadiness> replica) {
        public Readiness {
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(replica, "replica");
        }

        public static Readiness ok() {
            return new Readiness(true, "database reachable, migrations current", Optional.empty());
        }

        public static Readiness notReady(String detail) {
            return new Readiness(false, detail, Optional.empty());
        }

        public Readiness withReplica(ReplicaReadiness replica) {
            return new Readiness(isReady, detail, Optional.of(replica));
        }
    }

    /**
     * The read replica: {@code in-use}, {@code lagging} (further behind than {@code maxLagSeconds}) or {@code down};
     * its lag when it answered (null when unknown), and why, in words.
     */
    record ReplicaReadiness(String state, Double lagSeconds, double maxLagSeconds, String detail) {
        public ReplicaReadiness {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
