package dev.cortado.benchmarks;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;

/**
 * The 2×2 max pooling of the notebook models at their training batch sizes (LeNet's, the 3-conv
 * CNN's, ResNet's downsampling shortcuts), and the 3×3, stride-2 pooling of torchvision's ResNet
 * stem: forward, and forward + backward through autograd.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolBenchmark extends CpuKernelBenchmark {
    /** name:batch/channels/size[/kernel/stride/padding], 2/2/0 when left out (JMH splits -p values at commas). */
    @Param({
            "mnist_lenet_pool1:128/6/28", "mnist_lenet_pool2:128/16/14",
            "mnist_cnn3_pool1:128/16/28", "mnist_cnn3_pool2:128/32/14", "mnist_cnn3_pool3:128/64/7",
            "resnet_shortcut_16:128/16/32", "resnet_shortcut_32:128/32/16", "imagenet_resnet18_stem:16/64/112/3/2/1"})
    String layer;

    @Param({"2"})
    int threads;

    Tensor x;
    PoolOptions options;

    @Setup
    public void setup() {
        String[] f = layer.substring(layer.indexOf(':') + 1).split("/");
        Cortado.setNumThreads(threads);
        Cortado.manualSeed(0);
        int size = Integer.parseInt(f[2]);
        options = f.length > 3
                ? PoolOptions.of(Integer.parseInt(f[3])).stride(Integer.parseInt(f[4])).padding(Integer.parseInt(f[5]))
                : PoolOptions.of(2);
        x = Tensor.randn(Integer.parseInt(f[0]), Integer.parseInt(f[1]), size, size).requiresGrad_(true);
    }

    @Benchmark
    public Tensor forward() {
        try (var off = dev.cortado.autograd.GradMode.off()) {
            return Pooling.maxPool2d(x, options);
        }
    }

    @Benchmark
    public Tensor forwardBackward() {
        x.zeroGrad();
        Pooling.maxPool2d(x, options).sum().backward();
        return x.grad();
    }
}
