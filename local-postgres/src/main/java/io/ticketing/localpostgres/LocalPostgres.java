package io.ticketing.localpostgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A PostgreSQL 17 server on this machine that needs nothing installed: zonky's embedded binaries,
 * started on a free (or given) port of 127.0.0.1. Either temporary (its data is deleted when it
 * stops) or persistent (its data directory is kept and reused by the next start).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Who stops the server when the JVM exits without closing it (Ctrl-C, SIGTERM). */
    public enum OnExit {
        /** A shutdown hook of its own: it may stop the server while other hooks still use it. */
        STOP,
        /** The caller, whose own shutdown hook closes it once what still needs the database is done. */
        LEFT_TO_CALLER
    }

    /** A server whose data lives in a temporary directory, removed when it stops. */
    public static LocalPostgres startTemporary(Map<String, String> serverSettings) {
        return start(null, 0, serverSettings, OnExit.STOP);
    }

    /**
     * A server whose data lives in {@code dataDirectory}: created on the first start, reused after.
     *
     * @param port the port to listen on, or 0 for any free port
     */
    public static LocalPostgres startPersistent(Path dataDirectory, int port, Map<String, String> serverSettings) {
        return startPersistent(dataDirectory, port, serverSettings, OnExit.STOP);
    }

    /** As {@link #startPersistent(Path, int, Map)}, stopped on the JVM's exit as {@code onExit} says. */
    public static LocalPostgres startPersistent(Path dataDirectory, int port, Map<String, String> serverSettings, OnExit onExit) {
        return start(dataDirectory.toAbsolutePath().normalize(), port, serverSettings, onExit);
    }

    private static LocalPostgres start(Path dataDirectory, int port, Map<String, String> serverSettings, OnExit onExit) {
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(onExit == OnExit.STOP)
                .setOverrideWorkingDirectory(binaries.toFile());
        if (RootSafeBinaries.runningAsRoot()) {
            builder.setPgBinaryResolver(new RootSafeBinaries(binaries));
        }
        if (dataDirectory != null) {
            createDataDirectory(dataDirectory);
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        if (port != 0) {
            builder.setPort(port);
        }
        serverSettings.forEach(builder::setServerConfig);
        try {
            return new LocalPostgres(builder.start());
        } catch (IOException | RuntimeException e) {
            throw new LocalPostgresException("could not start the local PostgreSQL"
                    + (dataDirectory == null ? "" : " with its data in " + dataDirectory)
                    + ": " + rootCause(e).getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the local PostgreSQL", e);
        }
    }

    private static void createDataDirectory(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new LocalPostgresException("cannot create the data directory " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
