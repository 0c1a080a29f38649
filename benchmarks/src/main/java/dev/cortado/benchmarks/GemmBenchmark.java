package dev.cortado.benchmarks;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;

/**
 * Square float32 products on the CPU backend: A·B and the two transposed forms backward needs
 * (Aᵀ·B for weight gradients, A·Bᵀ for input gradients), taken as strided views, never copied.
 * GFLOP/s = 2·n³ / time.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBenchmark extends CpuKernelBenchmark {
    @Param({"256", "512", "1024", "2048"})
    int n;

    @Param({"2"})
    int threads;

    Tensor a;
    Tensor b;

    @Setup
    public void setup() {
        Cortado.setNumThreads(threads);
        Cortado.manualSeed(0);
        a = Tensor.randn(n, n);
        b = Tensor.randn(n, n);
    }

    @Benchmark
    public Tensor ab() {
        return a.matmul(b);
    }

    @Benchmark
    public Tensor atb() {
        return a.t().matmul(b);
    }

    @Benchmark
    public Tensor abt() {
        return a.matmul(b.t());
    }
}
