package dev.cortado.cpu;

import dev.cortado.tensor.Cortado;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits index ranges over {@link Cortado#numThreads()} threads: the calling thread and
 * {@code numThreads - 1} workers. A training step issues thousands of small kernels, so the
 * cost of one parallel call matters as much as its throughput: workers spin for a short while
 * after each job (the next kernel usually follows within microseconds) before they park, and the
 * caller takes chunks itself instead of waiting for a worker to wake up. A fork-join pool cost
 * about 20 µs per call here, more than a 64k-element kernel takes on one core.
 *
 * <p>Work is split by size, never by thread count, wherever the split changes rounding, so results
 * are bit-identical for any number of threads. Calls from inside a chunk, or from a second thread
 * while a job runs (a data-loading worker, say), run on the calling thread.
 */
final class Parallel {
    @FunctionalInterface
    interface Range {
        void run(int start, int end);
    }

    @FunctionalInterface
    interface Chunk {
        void run(int index);
    }

    /**
     * How long an idle worker keeps polling for the next job before it parks. Waking a parked
     * worker takes long enough here (a virtual machine) that the caller often finishes the job
     * alone: with 200 µs, 4–5 % of a LeNet step's parallel calls ran on the caller only, with
     * 2 ms, 2–3 %, and LeNet's speed-up from one thread to two rose in four of four interleaved
     * pairs on a busy host (1.30 → 1.39, 1.77 → 1.89, 1.57 → 1.72, 1.45 → 1.71).
     */
    private static final long SPIN_NANOS = 2_000_000;

    private static final ReentrantLock SUBMIT = new ReentrantLock();
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static volatile Team team;

    private Parallel() {
    }

    static int threads() {
        return Cortado.numThreads();
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

    /** Runs body(0) .. body(count-1), in parallel when more than one thread is allowed. */
    static void forChunks(int count, Chunk body) {
        if (count <= 0) {
            return;
        }
        int threads = threads();
        if (threads == 1 || count == 1 || INSIDE.get() || !SUBMIT.tryLock()) {
            serial(count, body);
            return;
        }
        try {
            Team t = team;
            if (t == null || t.size != threads - 1) {
                if (t != null) {
                    t.stop();
                }
                t = new Team(threads - 1);
                team = t;
            }
            t.run(new Job(count, body, threads));
        } finally {
            SUBMIT.unlock();
        }
    }

    private static void serial(int count, Chunk body) {
        for (int i = 0; i < count; i++) {
            body.run(i);
        }
    }

    /**
     * One parallel call. Chunk {@code i} belongs to thread {@code i * threads / count} (the caller is
     * thread 0, worker {@code k} is thread {@code k + 1}); each thread runs its own chunks in order
     * and then helps with the others'. Consecutive kernels mostly split the same batch the same
     * way, so a thread reads what it wrote a kernel earlier from its own cache instead of fetching
     * it from the other core's. In three LeNet runs alternating the two schemes, the ReLU and
     * max-pool forward passes ran 1.21–1.58 times faster on two threads than on one with chunks
     * claimed first come, first served, and 1.58–1.86 times with shares.
     */
    private static final class Job {
        final int count;
        final Chunk body;
        final AtomicInteger[] next;
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int count, Chunk body, int threads) {
            this.count = count;
            this.body = body;
            next = new AtomicInteger[threads];
            for (int t = 0; t < threads; t++) {
                next[t] = new AtomicInteger(first(t));
            }
        }

        private int first(int thread) {
            return (int) ((long) count * thread / next.length);
        }

        /** Runs this thread's chunks, then takes what is left of the others' until none are left. */
        void work(int thread) {
            boolean outer = !INSIDE.get();
            INSIDE.set(true);
            try {
                int threads = next.length;
                for (int k = 0; k < threads; k++) {
                    int owner = (thread + k) % threads;
                    AtomicInteger claim = next[owner];
                    int end = owner + 1 == threads ? count : first(owner + 1);
                    for (int i = claim.getAndIncrement(); i < end; i = claim.getAndIncrement()) {
                        try {
                            if (failure == null) {
                                body.run(i);
                            }
                        } catch (Throwable e) {
                            failure = e;
                        } finally {
                            done.incrementAndGet();
                        }
                    }
                }
            } finally {
                if (outer) {
                    INSIDE.set(false);
                }
            }
        }
    }

    /** The worker threads and the job they are looking at. */
    private static final class Team {
        final int size;
        final Thread[] workers;
        volatile Job job;
        volatile boolean stopped;

        Team(int size) {
            this.size = size;
            workers = new Thread[size];
            for (int i = 0; i < size; i++) {
                int thread = i + 1;
                Thread w = new Thread(() -> loop(thread), "cortado-cpu-" + i);
                w.setDaemon(true);
                workers[i] = w;
                w.start();
            }
        }

        void run(Job j) {
            job = j;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            j.work(0);
            while (j.done.get() < j.count) {
                Thread.onSpinWait();
            }
            job = null;
            Throwable f = j.failure;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }

        void stop() {
            stopped = true;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
        }

        private void loop(int thread) {
            Job last = null;
            long idleSince = System.nanoTime();
            while (!stopped) {
                Job j = job;
                if (j != null && j != last) {
                    last = j;
                    j.work(thread);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
