package io.ticketing.migration.legacy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/** Work on several connections at once: the import's copy workers, its checks after the copy, the report's queries. */
final class Parallel {

    private Parallel() {
    }

    /** Work on a connection of its own. */
    interface Task<T> {
        T run() throws SQLException;
    }

    /** One piece of independent work, done by a worker (a connection, or an import session on one). */
    interface Item<W, I, R> {
        R run(W worker, I item) throws SQLException;
    }

    /**
     * {@code work} for each of {@code items}, shared among {@code workers} (one thread a worker,
     * each taking the next item not yet taken); the results in the items' order.
     */
    static <W, I, R> List<R> shared(List<W> workers, List<I> items, Item<W, I, R> work) throws SQLException {
        AtomicInteger next = new AtomicInteger();
        AtomicReferenceArray<R> results = new AtomicReferenceArray<>(items.size());
        AtomicBoolean failed = new AtomicBoolean();
        List<Task<Void>> perWorker = new ArrayList<>();
        for (W worker : workers) {
            perWorker.add(() -> {
                for (int k = next.getAndIncrement(); k < items.size() && !failed.get(); k = next.getAndIncrement()) {
                    results.set(k, work.run(worker, items.get(k)));
                }
                return null;
            });
        }
        all(perWorker, failed);
        return IntStream.range(0, items.size()).mapToObj(results::get).toList();
    }

    /**
     * Runs each task on a thread of its own and returns their results in order. When one fails,
     * {@code failed} is set (long tasks check it, to stop at a safe point), the others are waited
     * for, and the first failure is thrown with the others suppressed.
     */
    static <T> List<T> all(List<Task<T>> tasks, AtomicBoolean failed) throws SQLException {
        if (tasks.size() == 1) {
            return Collections.singletonList(tasks.get(0).run());
        }
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> running = tasks.stream().map(task -> threads.submit(() -> {
                try {
                    return task.run();
                } catch (SQLException | RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            })).toList();
            List<T> results = new ArrayList<>();
            // A Throwable: a task may end in an Error (out of memory, a class missing), which goes up as it is.
            Throwable failure = null;
            for (Future<T> task : running) {
                try {
                    results.add(task.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
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
            if (failure instanceof Error error) {
                throw error;
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
