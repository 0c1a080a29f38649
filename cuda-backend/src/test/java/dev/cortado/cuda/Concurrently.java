package dev.cortado.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs of one computation on several host threads at once, for the tests of shared devices. */
final class Concurrently {
    private Concurrently() {
    }

    /** The results of {@code run(0)} to {@code run(runs - 1)}, computed on {@code threads} threads at once, in run order. */
    static <T> List<T> results(int threads, int runs, IntFunction<T> run) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                int index = r;
                futures.add(pool.submit(() -> run.apply(index)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(300, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
