package io.ticketing.migration.legacy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** Work on several connections at once: the import's copy workers, the report's queries. */
final class Parallel {

    private Parallel() {
    }

    /** Work on a connection of its own. */
    interface Task<T> {
        T run() throws SQLException;
    }

    /**
     * Runs each task on a thread of its own and returns their results in order. When one fails,
     * {@code failed} is set (long tasks check it, to stop at a safe point), the others are waited
     * for, and the first failure is thrown with the others suppressed.
     */
    static <T> List<T> all(List<Task<T>> tasks, AtomicBoolean failed) throws SQLException {
        if (tasks.size() == 1) {
            return List.of(tasks.get(0).run());
        }
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> running = tasks.stream().map(task -> threads.submit(() -> {
                try {
                    return task.run();
                } catch (SQLException | RuntimeException e) {
                    failed.set(true);
                    throw e;
                }
            })).toList();
            List<T> results = new ArrayList<>();
            Exception failure = null;
            for (Future<T> task : running) {
                try {
                    results.add(task.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = (Exception) e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (failure instanceof SQLException sql) {
                throw sql;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
