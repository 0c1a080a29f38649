package dev.cortado.examples;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * sgemm speed of the CPU backend: median of timed repetitions after warm-up, one JSON line per
 * size so scripts can pair it with other libraries' figures.
 */
@Command(name = "bench-matmul", mixinStandardHelpOptions = true, description = "CPU sgemm speed in GFLOP/s, one JSON line per size.")
final class MatmulBench implements Runnable {
    @Parameters(paramLabel = "SIZE", arity = "0..*", description = "Square sizes (default: 512 1024 2048)")
    List<Integer> sizes = List.of(512, 1024, 2048);

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Override
    public void run() {
        if (threads != null) {
            Cortado.setNumThreads(threads);
        }
        for (int n : sizes) {
            if (n < 1) {
                throw new IllegalArgumentException("size must be positive, got " + n);
            }
        }
        for (int n : sizes) {
            Tensor a = Tensor.randn(n, n);
            Tensor b = Tensor.randn(n, n);
            double flops = 2.0 * n * n * n;
            int reps = (int) Math.max(5, Math.min(50, 2e10 / flops));
            long warmUntil = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                a.matmul(b);
            }
            double[] seconds = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                a.matmul(b);
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(seconds);
            double median = seconds[reps / 2];
            System.out.printf(Locale.ROOT, "{\"workload\": \"sgemm_%d\", \"gflops\": %.1f, \"ms\": %.3f, \"reps\": %d, \"threads\": %d}%n",
                    n, flops / median / 1e9, median * 1e3, reps, Cortado.numThreads());
        }
    }
}
