package dev.cortado.examples.bench;

import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Loss;
import dev.cortado.nn.Module;
import dev.cortado.optim.Optimizer;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Times full training steps (zero_grad, forward, cross-entropy, backward, SGD momentum step) of
 * one workload on a fixed random batch; the figure is the median, so one slow step (a GC pause,
 * another process) does not move it.
 */
public final class StepTimer {
    private StepTimer() {
    }

    /** Warm-up lasts at least this long, so that the JIT has compiled the hot kernels of small models too. */
    private static final long MIN_WARMUP_NANOS = 3_000_000_000L;
    /** ... and at most this long, if the step time never settles. */
    private static final long MAX_WARMUP_NANOS = 40_000_000_000L;

    /** A median step time and how many timed steps it came from. */
    public record Timing(double ms, int steps) {
    }

    /**
     * Median milliseconds per step over at least {@code steps} timed steps and, beyond them, as
     * many as fit in {@code minSeconds} (ten LeNet steps last 25 ms, so one burst of another job
     * on the host can cover all of them; a median over a second of steps shrugs it off). Timing
     * starts after a warm-up of at least {@code warmup} steps and three seconds that goes on (up
     * to 40 s) until the median of a round of five steps is within 5 % of the round before and
     * the JIT compiled nothing during that round: the JIT compiles the kernels in the background
     * for many seconds, the first rounds are up to four times slower, and on a two-core machine a
     * compiler thread still at work takes a core from a two-thread step (its time swung between
     * 9 and 14 ms before this).
     */
    public static Timing time(Workload w, Device device, int warmup, int steps, double minSeconds) {
        Cortado.manualSeed(0);
        Module m = w.model().to(device);
        m.train();
        Tensor x = Tensor.randn(w.inputShape()).to(device);
        Tensor y = Tensor.randint(0, w.classes, w.batch).to(device);
        SGD opt = new SGD(m.parameters(), 0.01, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        long start = System.nanoTime();
        for (int i = 0; i < warmup; i++) {
            step(m, opt, loss, x, y);
        }
        double previous = Double.MAX_VALUE;
        long compiled = compilationMillis();
        while (System.nanoTime() - start < MAX_WARMUP_NANOS) {
            double round = timed(m, opt, loss, x, y, 5, 0).ms();
            long nowCompiled = compilationMillis();
            boolean settled = Math.abs(round - previous) <= 0.05 * previous && nowCompiled == compiled;
            previous = round;
            compiled = nowCompiled;
            if (settled && System.nanoTime() - start >= MIN_WARMUP_NANOS) {
                break;
            }
        }
        return timed(m, opt, loss, x, y, steps, (long) (minSeconds * 1e9));
    }

    private static double median(double[] ms) {
        Arrays.sort(ms);
        int n = ms.length;
        return n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    }

    /** Total JIT compilation time so far, or 0 where the JVM does not report it. */
    private static long compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Median of at least {@code steps} timed steps, and of as many as fit in {@code minNanos}. */
    private static Timing timed(Module m, SGD opt, CrossEntropyLoss loss, Tensor x, Tensor y, int steps, long minNanos) {
        java.util.List<Double> ms = new java.util.ArrayList<>();
        long begin = System.nanoTime();
        while (ms.size() < steps || System.nanoTime() - begin < minNanos) {
            long t = System.nanoTime();
            step(m, opt, loss, x, y);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        return new Timing(median(ms.stream().mapToDouble(Double::doubleValue).toArray()), ms.size());
    }

    private static void step(Module m, SGD opt, CrossEntropyLoss loss, Tensor x, Tensor y) {
        trainStep(m, opt, loss, x, y);
    }

    /**
     * One training step (zero_grad, forward, loss, backward, optimizer step) in a MemoryScope, so
     * a device gets its memory back every step; returns the loss. Reading it waits for a GPU to
     * finish the step's queued work, which a timing must include.
     */
    public static double trainStep(Module m, Optimizer opt, Loss loss, Tensor x, Tensor y) {
        try (var scope = MemoryScope.open()) {
            opt.zeroGrad();
            Tensor l = loss.forward(m.forward(x), y);
            l.backward();
            opt.step();
            return l.item();
        }
    }
}
