package io.ticketing.app;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Which database a command works on: a server given by URL, or else the local embedded one. */
final class DatabaseOptions {

    @Option(names = "--db-url", defaultValue = "${env:TICKETING_DB_URL}", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/ticketing "
                    + "(env TICKETING_DB_URL). Without it, an embedded PostgreSQL runs on --data-dir.")
    String url;

    @Option(names = "--db-user", defaultValue = "${env:TICKETING_DB_USER}", paramLabel = "USER",
            description = "Database user (env TICKETING_DB_USER).")
    String user;

    @Option(names = "--db-password", defaultValue = "${env:TICKETING_DB_PASSWORD}", paramLabel = "PASSWORD",
            description = "Database password (env TICKETING_DB_PASSWORD).")
    String password;

    @Option(names = "--data-dir", defaultValue = "${env:TICKETING_DATA_DIR:-ticketing-data}", paramLabel = "DIR",
            description = "Where the embedded PostgreSQL keeps its data when no --db-url is given; "
                    + "reused by the next start, delete it to start afresh (env TICKETING_DATA_DIR, default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    boolean embedded() {
        return url == null || url.isBlank();
    }
}
