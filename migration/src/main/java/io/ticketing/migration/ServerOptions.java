package io.ticketing.migration;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Which PostgreSQL server a command works on: the one set of database options of every command of
 * {@code ticketing}, the application's and {@code legacy …} alike. Inherited by subcommands, so that
 * {@code legacy plan --db-url …} and {@code legacy --db-url … plan} mean the same.
 */
public final class ServerOptions {

    @Option(names = "--db-url", scope = ScopeType.INHERIT, defaultValue = "${env:TICKETING_DB_URL}", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/ticketing (env TICKETING_DB_URL).")
    public String url;

    @Option(names = "--db-user", scope = ScopeType.INHERIT, defaultValue = "${env:TICKETING_DB_USER}", paramLabel = "USER",
            description = "Database user (env TICKETING_DB_USER).")
    public String user;

    @Option(names = "--db-password", scope = ScopeType.INHERIT, defaultValue = "${env:TICKETING_DB_PASSWORD}",
            paramLabel = "PASSWORD", description = "Database password (env TICKETING_DB_PASSWORD).")
    public String password;

    /** Whether a server was named at all. */
    public boolean given() {
        return url != null && !url.isBlank();
    }
}
