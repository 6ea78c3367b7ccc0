package io.ticketing.app;

import io.ticketing.localpostgres.LocalPostgres;
import io.ticketing.migration.ServerOptions;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;

/**
 * The read replica of {@code serve}: a streaming replica of the primary that answers the reads that may be a
 * moment old (anonymous browsing, event stats, sales analytics) while it is at most {@code --max-replica-lag}
 * behind. Without {@code --db-read-url} there is none, and every read goes to the primary.
 */
final class ReplicaOptions {

    @Option(names = "--db-read-url", defaultValue = "${env:TICKETING_DB_READ_URL}", paramLabel = "JDBC_URL",
            description = "JDBC URL of a streaming read replica of the database, e.g. jdbc:postgresql://replica:5432/ticketing "
                    + "(env TICKETING_DB_READ_URL). Browsing, event stats and sales analytics read it while it keeps up.")
    String url;

    @Option(names = "--db-read-user", defaultValue = "${env:TICKETING_DB_READ_USER}", paramLabel = "USER",
            description = "User on the read replica (env TICKETING_DB_READ_USER, default: the primary's).")
    String user;

    @Option(names = "--db-read-password", defaultValue = "${env:TICKETING_DB_READ_PASSWORD}", paramLabel = "PASSWORD",
            description = "Password on the read replica (env TICKETING_DB_READ_PASSWORD, default: the primary's).")
    String password;

    @Option(names = "--max-replica-lag", defaultValue = "${env:TICKETING_MAX_REPLICA_LAG:-5s}", paramLabel = "DURATION",
            description = "How far behind the primary the replica may be and still serve reads: seconds (5, 0.5, 5s), 500ms or "
                    + "ISO-8601 (PT5S) (env TICKETING_MAX_REPLICA_LAG, default: ${DEFAULT-VALUE}).")
    Duration maxLag;

    /** Refuses what cannot work, before anything starts. */
    void validate() {
        if (given()) {
            ServerOptions.malformed("--db-read-url", url).ifPresent(problem -> {
                throw new CliException(problem, CliException.USAGE, null);
            });
        }
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new CliException("--max-replica-lag must be positive, got " + maxLag, CliException.USAGE, null);
        }
    }

    private boolean given() {
        return url != null && !url.isBlank();
    }

    /**
     * The replica's pool and lag bound, if a read URL is given; the user and password default to the primary's, and
     * behind --db-pooled the replica is reached through the pooler as well (its settings are harmless on a direct one).
     */
    Optional<Application.ReadReplica> open(DatabaseOptions primary) {
        if (!given()) {
            return Optional.empty();
        }
        String primaryUser = primary.embedded() ? LocalPostgres.SUPERUSER : primary.server.user;
        String primaryPassword = primary.embedded() ? "" : primary.server.password;
        return Optional.of(Application.ReadReplica.open(url, user != null ? user : primaryUser,
                password != null ? password : primaryPassword, maxLag, !primary.embedded() && primary.server.pooled));
    }
}
