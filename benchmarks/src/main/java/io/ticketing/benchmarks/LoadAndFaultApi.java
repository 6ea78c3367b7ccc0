package io.ticketing.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The API instances of {@link LoadAndFault}: each a separate OS process running
 * {@code io.ticketing.app.Main serve} on the one database, on a port of its own that it
 * keeps across restarts (so that clients find it again), with its output in a file per start under
 * {@code benchmarks/target/load-and-fault/}. Killed with {@code kill -9} by the fault injector and
 * started again; stopped with SIGTERM at the end. A shutdown hook kills whatever is left running.
 */
final class LoadAndFaultApi implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** One API instance: its port, its current process, how often it was started. */
    static final class Instance {
        final int number;
        final int port;
        final URI base;
        private Process process;
        private int starts;

        Instance(int number, int port) {
            this.number = number;
            this.port = port;
            this.base = URI.create("http://127.0.0.1:" + port);
        }
    }

    private final List<String> serveArguments;
    private final ApiClient probe;
    private final Path logDirectory;
    private final List<Instance> instances = new ArrayList<>();

    /**
     * @param serveArguments the options of {@code serve} other than {@code --port}: database, secrets, expiry
     * @param probe a client (any base) used to ask each instance whether it is ready
     */
    LoadAndFaultApi(int count, List<String> serveArguments, ApiClient probe, Path logDirectory) {
        this.serveArguments = List.copyOf(serveArguments);
        this.probe = probe;
        this.logDirectory = logDirectory;
        for (int i = 1; i <= count; i++) {
            instances.add(new Instance(i, freePort()));
        }
        deleteOldLogs();
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "load-and-fault-api-cleanup"));
    }

    List<Instance> instances() {
        return instances;
    }

    List<URI> bases() {
        return instances.stream().map(instance -> instance.base).toList();
    }

    Path logDirectory() {
        return logDirectory;
    }

    /** Starts the instance's process and waits until its {@code GET /ready} answers 200. */
    synchronized void start(Instance instance) {
        if (instance.process != null && instance.process.isAlive()) {
            throw new IllegalStateException("instance " + instance.number + " is already running");
        }
        instance.starts++;
        Path log = logDirectory.resolve("api-" + instance.number + "-start-" + instance.starts + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "io.ticketing.app.Main", "serve",
                "--host", "127.0.0.1", "--port", String.valueOf(instance.port)));
        command.addAll(serveArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Only the flags configure the instance: a TICKETING_* variable of this shell must not.
        builder.environment().keySet().removeIf(name -> name.startsWith("TICKETING_"));
        try {
            instance.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start API instance " + instance.number, e);
        }
        awaitReady(instance, log);
    }

    private void awaitReady(Instance instance, Path log) {
        ApiClient client = probe.at(instance.base);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!instance.process.isAlive()) {
                throw new IllegalStateException("API instance " + instance.number + " exited with "
                        + instance.process.exitValue() + " while starting; see " + log);
            }
            try {
                if (client.get("/ready", Map.of()).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // starting
            }
            sleep(200);
        }
        throw new IllegalStateException("API instance " + instance.number + " not ready after " + READY_TIMEOUT + "; see " + log);
    }

    /** {@code kill -9}: the process gets no chance to finish anything. */
    synchronized void kill(Instance instance) {
        instance.process.destroyForcibly();
        waitFor(instance.process, Duration.ofSeconds(30));
    }

    boolean isRunning(Instance instance) {
        return instance.process != null && instance.process.isAlive();
    }

    /** SIGTERM, as an orchestrator stops an instance; returns the exit code, or -1 if it had to be killed. */
    synchronized int stopGracefully(Instance instance) {
        instance.process.destroy();
        if (waitFor(instance.process, Duration.ofSeconds(40))) {
            return instance.process.exitValue();
        }
        kill(instance);
        return -1;
    }

    int starts(Instance instance) {
        return instance.starts;
    }

    private void killAll() {
        for (Instance instance : instances) {
            if (instance.process != null && instance.process.isAlive()) {
                instance.process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        killAll();
    }

    /**
     * What the 500s were, from the instances' logs: for each "unexpected error" line, the root
     * cause its stack trace names (numbers replaced by N), counted.
     */
    Map<String, Long> unexpectedErrorCauses() {
        Map<String, Long> causes = new TreeMap<>();
        try (var files = Files.list(logDirectory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("api-")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("unexpected error on")) {
                        causes.merge(causeAfter(lines, i), 1L, Long::sum);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the logs in " + logDirectory, e);
        }
        return causes;
    }

    private static String causeAfter(List<String> lines, int errorLine) {
        String cause = errorLine + 1 < lines.size() ? lines.get(errorLine + 1) : "";
        for (int i = errorLine + 1; i < Math.min(lines.size(), errorLine + 12); i++) {
            int at = lines.get(i).lastIndexOf("Cause: ");
            if (at >= 0) {
                cause = lines.get(i).substring(at + "Cause: ".length());
                break;
            }
        }
        int detail = cause.indexOf(" (");
        cause = detail > 0 ? cause.substring(0, detail) : cause;
        return cause.strip().replaceAll("\\d+", "N");
    }

    /** The logs of an earlier run would read as this run's. */
    private void deleteOldLogs() {
        try (var files = Files.list(logDirectory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("api-")).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + logDirectory, e);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    static Path logRoot() {
        // benchmarks/run runs from the repository's root; elsewhere, the working directory's target/.
        Path root = Files.isDirectory(Path.of("benchmarks", "target")) ? Path.of("benchmarks", "target") : Path.of("target");
        Path directory = root.resolve("load-and-fault");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        return directory;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
