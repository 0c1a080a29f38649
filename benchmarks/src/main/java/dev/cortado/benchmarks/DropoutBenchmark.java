package dev.cortado.benchmarks;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;

/**
 * Dropout's forward pass in training mode ({@code nn.Dropout(0.5)}): the counter-based mask that
 * {@code F.dropout} draws ({@code bernoulli_(1 − p).div_(1 − p)}, then the product), next to the
 * host-drawn uniform mask it replaced ({@code rand → lt → div}), on a fully connected layer's
 * activations and a small convolution's.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DropoutBenchmark extends CpuKernelBenchmark {
    /** name:dims, the dims separated by slashes (JMH splits -p values at commas). */
    @Param({"fc:128/4096", "conv:128/16/14/14"})
    String shape;

    @Param({"2"})
    int threads;

    final double p = 0.5;
    Tensor x;
    int[] dims;

    @Setup
    public void setup() {
        String[] f = shape.substring(shape.indexOf(':') + 1).split("/");
        dims = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            dims[i] = Integer.parseInt(f[i]);
        }
        Cortado.setNumThreads(threads);
        Cortado.manualSeed(0);
        x = Tensor.randn(dims);
    }

    @Benchmark
    public Tensor counterBasedMask() {
        Tensor keep = Tensor.empty(dims, DType.FLOAT32, x.device()).bernoulli_(1 - p).div_(1 - p);
        return x.mul(keep);
    }

    @Benchmark
    public Tensor hostDrawnMask() {
        Tensor keep = x.randLike().lt(1 - p);
        return x.mul(keep.div(1 - p));
    }
}
