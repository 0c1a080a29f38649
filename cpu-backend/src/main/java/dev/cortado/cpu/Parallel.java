package dev.cortado.cpu;

import dev.cortado.tensor.Cortado;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges over a private fork-join pool sized by {@link Cortado#numThreads()}.
 * Work is split by size, never by thread count, wherever the split changes rounding, so results
 * are bit-identical for any number of threads.
 */
final class Parallel {
    @FunctionalInterface
    interface Range {
        void run(int start, int end);
    }

    private static volatile ForkJoinPool pool;

    private Parallel() {
    }

    static int threads() {
        return Cortado.numThreads();
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        int want = threads();
        if (p == null || p.getParallelism() != want) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null || p.getParallelism() != want) {
                    if (p != null) {
                        p.shutdown();
                    }
                    p = new ForkJoinPool(want, pool -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setDaemon(true);
                        t.setName("cortado-cpu-" + t.getPoolIndex());
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Runs body over [0, n) in chunks of at least {@code grain} elements, in parallel when it pays. */
    static void forRange(int n, int grain, Range body) {
        int threads = threads();
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min((long) threads * 4, (n + (long) grain - 1) / Math.max(grain, 1));
        if (threads == 1 || chunks <= 1) {
            body.run(0, n);
            return;
        }
        forChunks(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    @FunctionalInterface
    interface Chunk {
        void run(int index);
    }

    /** Runs body(0) .. body(count-1), in parallel when more than one thread is allowed. */
    static void forChunks(int count, Chunk body) {
        if (count <= 0) {
            return;
        }
        if (threads() == 1 || count == 1) {
            for (int i = 0; i < count; i++) {
                body.run(i);
            }
            return;
        }
        List<RecursiveAction> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            tasks.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(index);
                }
            });
        }
        ForkJoinPool p = pool();
        if (ForkJoinTask.getPool() == p) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            p.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    invokeAll(tasks);
                }
            });
        }
    }
}
