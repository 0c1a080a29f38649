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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
     * to 40 s) until the median of a round (five steps and a quarter of a second) is within 5 % of
     * the round before and the JIT spent at most 2 % of the round compiling: the JIT compiles the
     * kernels in the background for many seconds, the first rounds are up to four times slower,
     * and on a two-core machine a compiler thread still at work takes a core from a two-thread
     * step (its time swung between 9 and 14 ms before this).
     */
    public static Timing time(Workload w, Device device, int warmup, int steps, double minSeconds) {
        return time(w, device, warmup, steps, minSeconds, new int[] {Cortado.numThreads()})[0];
    }

    /**
     * As {@link #time(Workload, Device, int, int, double)}, for each of {@code threadCounts} in turn
     * within one run: warm-up rounds and then blocks of about a fifth of a second of timed steps
     * alternate between the thread counts, so that a slow spell of the host falls on all of them
     * alike. Timed separately, one after the other, the 3-conv CNN's speed-up from one thread to
     * two read anywhere from 1.38 to 1.83 on the same code.
     */
    public static Timing[] time(Workload w, Device device, int warmup, int steps, double minSeconds, int[] threadCounts) {
        int k = threadCounts.length;
        Run run = Run.of(w, device);
        Module m = run.model();
        Tensor x = run.x();
        Tensor y = run.y();
        SGD opt = run.opt();
        CrossEntropyLoss loss = run.loss();
        long start = System.nanoTime();
        for (int t : threadCounts) {
            Cortado.setNumThreads(t);
            for (int i = 0; i < warmup; i++) {
                step(m, opt, loss, x, y);
            }
        }
        double[] previous = new double[k];
        Arrays.fill(previous, Double.MAX_VALUE);
        long compiled = compilationMillis();
        while (System.nanoTime() - start < MAX_WARMUP_NANOS) {
            boolean settled = true;
            long roundStart = System.nanoTime();
            for (int i = 0; i < k; i++) {
                Cortado.setNumThreads(threadCounts[i]);
                List<Double> round = new ArrayList<>();
                timed(m, opt, loss, x, y, 5, ROUND_NANOS, round);
                double ms = median(round);
                settled &= Math.abs(ms - previous[i]) <= 0.05 * previous[i];
                previous[i] = ms;
            }
            long nowCompiled = compilationMillis();
            settled &= nowCompiled - compiled <= QUIET_JIT * (System.nanoTime() - roundStart) / 1e6;
            compiled = nowCompiled;
            if (settled && System.nanoTime() - start >= MIN_WARMUP_NANOS) {
                break;
            }
        }
        List<List<Double>> ms = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ms.add(new ArrayList<>());
        }
        long minNanos = (long) (minSeconds * 1e9);
        long blockNanos = k == 1 ? minNanos : BLOCK_NANOS;
        long[] spent = new long[k];
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < k; i++) {
                Cortado.setNumThreads(threadCounts[i]);
                int want = Math.max(1, k == 1 ? steps : 0);
                spent[i] += timed(m, opt, loss, x, y, want, blockNanos, ms.get(i));
                more |= ms.get(i).size() < steps || spent[i] < minNanos;
            }
        }
        Timing[] result = new Timing[k];
        for (int i = 0; i < k; i++) {
            result[i] = new Timing(median(ms.get(i)), ms.get(i).size());
        }
        return result;
    }

    /** A workload's model in training mode, its fixed random batch, SGD with momentum and the loss. */
    private record Run(Module model, Tensor x, Tensor y, SGD opt, CrossEntropyLoss loss) {
        static Run of(Workload w, Device device) {
            Cortado.manualSeed(0);
            Module m = w.model().to(device);
            m.train();
            Tensor x = Tensor.randn(w.inputShape()).to(device);
            Tensor y = Tensor.randint(0, w.classes, w.batch).to(device);
            return new Run(m, x, y, new SGD(m.parameters(), 0.01, 0.9), new CrossEntropyLoss());
        }

        void steps(int n) {
            for (int i = 0; i < n; i++) {
                step(model, opt, loss, x, y);
            }
        }
    }

    /**
     * {@code warmup} steps, then {@code beforeMeasured}, then {@code steps} more: for a profiler
     * that should see the steps after warm-up only.
     */
    public static void run(Workload w, Device device, int warmup, Runnable beforeMeasured, int steps) {
        Run run = Run.of(w, device);
        run.steps(warmup);
        beforeMeasured.run();
        run.steps(steps);
    }

    /**
     * A warm-up round lasts at least this long per thread count: a round of five LeNet steps
     * (15 ms) often saw no compilation while the JIT was still compiling dozens of methods a
     * second, which then took a core from the two-thread steps while the one-thread steps had
     * the second core to spare.
     */
    private static final long ROUND_NANOS = 250_000_000L;
    /**
     * The JIT counts as done when it spent at most this fraction of a round's time compiling. It
     * never stops outright: 40 s into a LeNet run it still compiles a few methods a second.
     */
    private static final double QUIET_JIT = 0.02;

    /** Timed steps of one thread count before the next takes over, when several alternate. */
    private static final long BLOCK_NANOS = 200_000_000L;

    private static double median(List<Double> list) {
        double[] ms = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = ms.length;
        return n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    }

    /** Total JIT compilation time so far, or 0 where the JVM does not report it. */
    private static long compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /**
     * At least {@code steps} timed steps, and as many as fit in {@code minNanos}, appended to
     * {@code ms}; returns the nanoseconds they took.
     */
    private static long timed(Module m, SGD opt, CrossEntropyLoss loss, Tensor x, Tensor y, int steps, long minNanos, List<Double> ms) {
        long begin = System.nanoTime();
        int done = 0;
        while (done < steps || System.nanoTime() - begin < minNanos) {
            long t = System.nanoTime();
            step(m, opt, loss, x, y);
            ms.add((System.nanoTime() - t) / 1e6);
            done++;
        }
        return System.nanoTime() - begin;
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
            Tensor l = loss.forward(m.call(x), y);
            l.backward();
            opt.step();
            return l.item();
        }
    }
}
