package io.ticketing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PgBouncer of this machine (the {@code pgbouncer} on the PATH) in transaction pooling mode, started for a test
 * or a benchmark in front of one database, with a pool of a chosen size; stopped by {@link #close}. With a pool of
 * one server connection, every client's transaction runs on that same connection: what one client leaves on the
 * server, the next one finds.
 */
public final class PgBouncer implements AutoCloseable {

    private static final Pattern DIRECT_URL = Pattern.compile("^jdbc:postgresql://([^/:]+)(?::(\\d+))?/([^?]+).*$");

    private final Process process;
    private final Path directory;
    private final TestDatabase database;

    private PgBouncer(Process process, Path directory, TestDatabase database) {
        this.process = process;
        this.directory = directory;
        this.database = database;
    }

    /** Whether a {@code pgbouncer} can be run here. */
    public static boolean installed() {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, "pgbouncer")));
    }

    /**
     * Starts a pooler in front of {@code direct} (a database reached without a pooler) that opens at most
     * {@code poolSize} server connections to it, and waits until it listens.
     */
    public static PgBouncer start(TestDatabase direct, int poolSize) {
        Matcher url = DIRECT_URL.matcher(direct.jdbcUrl());
        if (!url.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + direct.jdbcUrl());
        }
        try {
            Path directory = Files.createTempDirectory("pgbouncer");
            // PgBouncer refuses to run as root; it then runs as nobody, who must read its files and write its log.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            int port = freePort();
            Path users = directory.resolve("userlist.txt");
            Files.writeString(users, quoted(direct.user()) + " " + quoted(direct.password()) + "\n");
            Path ini = directory.resolve("pgbouncer.ini");
            Files.writeString(ini, """
                    [databases]
                    %s = host=%s port=%s dbname=%s
                    [pgbouncer]
                    listen_addr = 127.0.0.1
                    listen_port = %d
                    unix_socket_dir =
                    ; clients on this machine only; PgBouncer logs in to the server with the password of auth_file
                    auth_type = trust
                    auth_file = %s
                    pool_mode = transaction
                    default_pool_size = %d
                    max_client_conn = 500
                    ignore_startup_parameters = extra_float_digits,options
                    logfile = %s
                    """.formatted(direct.name(), url.group(1), url.group(2) == null ? "5432" : url.group(2), url.group(3), port,
                    users, poolSize, directory.resolve("pgbouncer.log")));
            for (Path file : List.of(users, ini)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
            List<String> command = new ArrayList<>(List.of("pgbouncer"));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "nobody"));
            }
            command.add(ini.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("pgbouncer.out").toFile()).start();
            PgBouncer pooler = new PgBouncer(process, directory, new TestDatabase(direct.name(),
                    "jdbc:postgresql://127.0.0.1:" + port + "/" + direct.name(), direct.user(), direct.password()));
            pooler.awaitListening(port);
            return pooler;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start pgbouncer: " + e.getMessage(), e);
        }
    }

    /** The database through this pooler (the URL carries no driver settings: the client adds those pooling needs). */
    public TestDatabase database() {
        return database;
    }

    private void awaitListening(int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        String log = log();
        close();
        throw new IllegalStateException("pgbouncer did not listen on port " + port + " within 10 s: " + log);
    }

    private String log() throws IOException {
        StringBuilder log = new StringBuilder();
        for (String name : List.of("pgbouncer.out", "pgbouncer.log")) {
            Path file = directory.resolve(name);
            if (Files.exists(file)) {
                log.append(Files.readString(file));
            }
        }
        return log.toString().strip();
    }

    private static String quoted(String value) {
        return "\"" + (value == null ? "" : value.replace("\"", "\"\"")) + "\"";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the pooler and removes its files. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            System.err.println("could not remove " + directory + ": " + e.getMessage());
        }
    }
}
