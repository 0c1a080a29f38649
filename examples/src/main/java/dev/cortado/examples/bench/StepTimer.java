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

    /**
     * Median milliseconds per step over {@code steps} timed steps, after a warm-up of at least
     * {@code warmup} steps and three seconds that goes on (up to 40 s) until the median of a
     * round of five steps is within 5 % of the round before and the JIT compiled nothing during
     * that round: the JIT compiles the kernels in the background for many seconds, the first
     * rounds are up to four times slower, and on a two-core machine a compiler thread still at
     * work takes a core from a two-thread step (its time swung between 9 and 14 ms before this).
     */
    public static double medianMs(Workload w, Device device, int warmup, int steps) {
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
            double round = timed(m, opt, loss, x, y, 5);
            long nowCompiled = compilationMillis();
            boolean settled = Math.abs(round - previous) <= 0.05 * previous && nowCompiled == compiled;
            previous = round;
            compiled = nowCompiled;
            if (settled && System.nanoTime() - start >= MIN_WARMUP_NANOS) {
                break;
            }
        }
        return timed(m, opt, loss, x, y, steps);
    }

    /** Total JIT compilation time so far, or 0 where the JVM does not report it. */
    private static long compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static double timed(Module m, SGD opt, CrossEntropyLoss loss, Tensor x, Tensor y, int steps) {
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t = System.nanoTime();
            step(m, opt, loss, x, y);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return steps % 2 == 1 ? ms[steps / 2] : (ms[steps / 2 - 1] + ms[steps / 2]) / 2;
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
