package io.ticketing.testsupport;

import io.ticketing.localpostgres.LocalPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A primary PostgreSQL 17 and a hot standby streaming from it, both embedded, made the way
 * {@code pg_basebackup} makes a standby (the embedded binaries have no {@code pg_basebackup}): a physical
 * replication slot keeps the primary's WAL, {@code pg_backup_start} marks the copy's start, the data
 * directory is copied as files, {@code pg_backup_stop} gives the {@code backup_label} of the copy, and the
 * copy starts with {@code standby.signal} and {@code primary_conninfo}. The replica can be stopped and
 * started again on the same port, and its replay paused, as the faults a replica meets.
 */
public final class StreamingReplica implements AutoCloseable {

    private static final String SLOT = "ticketing_test_replica";
    private static final Map<String, String> SETTINGS = Map.of(
            "fsync", "off", "synchronous_commit", "off", "full_page_writes", "on", "max_connections", "100",
            "wal_level", "replica", "max_wal_senders", "4", "hot_standby", "on", "hot_standby_feedback", "on");
    /** Files of a running server that a base backup leaves out: pg_basebackup's list, plus zonky's lock. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "epg-lock",
            "backup_label", "tablespace_map", "pg_internal.init");
    /** Folders copied empty: the standby fetches its WAL by streaming, the rest is the server's scratch. */
    private static final Set<String> EMPTIED_FOLDERS = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

    private final Path root;
    private final Map<String, String> settings;
    private final LocalPostgres primary;
    private final int replicaPort;
    private LocalPostgres replica;

    private StreamingReplica(Path root, Map<String, String> settings, LocalPostgres primary, int replicaPort, LocalPostgres replica) {
        this.root = root;
        this.settings = settings;
        this.primary = primary;
        this.replicaPort = replicaPort;
        this.replica = replica;
    }

    /** A new primary with a replica streaming from it, in a temporary folder removed by {@link #close}. */
    public static StreamingReplica start() {
        return start(Map.of());
    }

    /** As {@link #start()}, both servers with {@code serverSettings} too (a benchmark's caches, say). */
    public static StreamingReplica start(Map<String, String> serverSettings) {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.putAll(serverSettings);
        Path root;
        try {
            root = Files.createTempDirectory("ticketing-replication-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalPostgres primary = LocalPostgres.startPersistent(root.resolve("primary"), 0, settings);
        try {
            Path replicaData = root.resolve("replica");
            baseBackup(primary, root.resolve("primary"), replicaData);
            LocalPostgres replica = LocalPostgres.startPersistent(replicaData, 0, settings);
            StreamingReplica pair = new StreamingReplica(root, settings, primary, replica.port(), replica);
            pair.awaitReplayed();
            return pair;
        } catch (RuntimeException e) {
            primary.close();
            deleteQuietly(root);
            throw e;
        }
    }

    private static void baseBackup(LocalPostgres primary, Path primaryData, Path replicaData) {
        try (Connection connection = DriverManager.getConnection(primary.jdbcUrl("postgres"), LocalPostgres.SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "', true)");
            statement.execute("SELECT pg_backup_start('ticketing test replica', true)");
            copyDataDirectory(primaryData, replicaData);
            String label;
            try (ResultSet result = statement.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
                result.next();
                label = result.getString(1);
            }
            Files.writeString(replicaData.resolve("backup_label"), label);
            Files.writeString(replicaData.resolve("standby.signal"), "");
            Files.writeString(replicaData.resolve("postgresql.auto.conf"), "\nprimary_conninfo = 'host=127.0.0.1 port="
                    + primary.port() + " user=" + LocalPostgres.SUPERUSER + " application_name=ticketing_test_replica'\n"
                    + "primary_slot_name = '" + SLOT + "'\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (SQLException e) {
            throw new IllegalStateException("could not take a base backup of the primary: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the primary's data directory: " + e.getMessage(), e);
        }
    }

    private static void copyDataDirectory(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return dir.equals(from) || !EMPTIED_FOLDERS.contains(dir.getFileName().toString())
                        ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!SKIPPED_FILES.contains(file.getFileName().toString()) && attributes.isRegularFile()) {
                    try {
                        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (NoSuchFileException gone) {
                        // a temporary file the server removed while we copied: a base backup skips it too
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        // PostgreSQL refuses a data directory that others may read.
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(to.resolve("pg_wal").resolve("archive_status"));
        Files.createDirectories(to.resolve("pg_wal").resolve("summaries"));
    }

    public String primaryUrl(String database) {
        return primary.jdbcUrl(database);
    }

    /** The replica's URL; the same after {@link #stopReplica} and {@link #startReplica}. */
    public String replicaUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/" + database;
    }

    public String user() {
        return LocalPostgres.SUPERUSER;
    }

    public String password() {
        return "";
    }

    /** Creates a database on the primary and waits until the replica has it too. */
    public void createDatabase(String name) {
        execute(primaryUrl("postgres"), "CREATE DATABASE " + name);
        awaitReplayed();
    }

    /** Stops the replica as an operator would ({@code pg_ctl stop -m fast}); its data stays. */
    public synchronized void stopReplica() {
        if (replica != null) {
            replica.close();
            replica = null;
        }
    }

    /** Starts the stopped replica again, on its port; it catches up from its slot on the primary. */
    public synchronized void startReplica() {
        if (replica == null) {
            replica = LocalPostgres.startPersistent(root.resolve("replica"), replicaPort, settings);
        }
    }

    /** The replica stops applying WAL (it still receives it): its data ages while the primary moves on. */
    public void pauseReplay() {
        execute(replicaUrl("postgres"), "SELECT pg_wal_replay_pause()");
    }

    public void resumeReplay() {
        execute(replicaUrl("postgres"), "SELECT pg_wal_replay_resume()");
    }

    /** Waits until the replica has replayed everything the primary had written when this was called. */
    public void awaitReplayed() {
        String lsn = query(primaryUrl("postgres"), "SELECT pg_current_wal_insert_lsn()::text");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"true".equals(query(replicaUrl("postgres"),
                "SELECT (coalesce(pg_last_wal_replay_lsn(), '0/0') >= '" + lsn + "'::pg_lsn)::text"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica did not replay up to " + lsn + " within 30 s");
            }
            pause(Duration.ofMillis(20));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user(), password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + url + ": " + e.getMessage(), e);
        }
    }

    private String query(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user(), password());
             Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            stopReplica();
        } finally {
            primary.close();
            deleteQuietly(root);
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
