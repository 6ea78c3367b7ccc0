package io.ticketing.app;

import io.ticketing.migration.ServerOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Which database a command works on: a server given by URL (the options every command shares, those of
 * {@code legacy …} included), or else the local embedded one.
 */
final class DatabaseOptions {

    @Mixin
    ServerOptions server;

    @Option(names = "--data-dir", defaultValue = "${env:TICKETING_DATA_DIR:-ticketing-data}", paramLabel = "DIR",
            description = "Where the embedded PostgreSQL runs, and keeps its data, when no --db-url is given; "
                    + "reused by the next start, delete it to start afresh (env TICKETING_DATA_DIR, default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    boolean embedded() {
        return !server.given();
    }

    /** The database named, as a report says when it could not be opened. */
    String describe() {
        return embedded() ? "embedded PostgreSQL, data in " + dataDirectory.toAbsolutePath() : ServerOptions.shown(server.url);
    }
}
