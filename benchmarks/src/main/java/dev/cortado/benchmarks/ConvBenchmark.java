package dev.cortado.benchmarks;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;

/**
 * Every convolution layer shape of the notebook models at its training batch size: forward, and
 * forward + backward (both gradients) through autograd, as a training step runs it.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBenchmark extends CpuKernelBenchmark {
    /**
     * name:batch/in channels/size/out channels/kernel/stride/padding/reflect[/groups] (JMH splits
     * -p values at commas); a depthwise layer has groups = in = out channels, e.g.
     * {@code dw7:16/192/28/192/7/1/3/0/192}.
     */
    @Param({
            "mnist_cnn3_conv1:128/1/28/16/3/1/1/0", "mnist_cnn3_conv2:128/16/14/32/3/1/1/0", "mnist_cnn3_conv3:128/32/7/64/3/1/1/0",
            "mnist_lenet_conv1:128/1/28/6/3/1/1/0", "mnist_lenet_conv2:128/6/14/16/3/1/1/0",
            "fashion_conv1:512/1/28/32/3/1/0/0", "fashion_conv2:512/32/13/64/3/1/0/0",
            "edge_simplecnn7_conv1:32/1/28/3/7/1/3/1", "edge_simplecnn7_conv2:32/3/28/3/7/1/3/1",
            "cifar_3layerconv_conv1:64/3/32/100/5/1/2/0", "cifar_3layerconv_conv2:64/100/32/100/3/1/1/0",
            "resnet_stem:128/3/32/16/3/1/1/0", "resnet_16:128/16/32/16/3/1/1/0", "resnet_16to32_s2:128/16/32/32/3/2/1/0",
            "resnet_32:128/32/16/32/3/1/1/0", "resnet_32to64_s2:128/32/16/64/3/2/1/0", "resnet_64:128/64/8/64/3/1/1/0"})
    String layer;

    @Param({"2"})
    int threads;

    Tensor x;
    Tensor w;
    Tensor b;
    ConvOptions options;

    @Setup
    public void setup() {
        String[] f = layer.substring(layer.indexOf(':') + 1).split("/");
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Integer.parseInt(f[i]);
        }
        Cortado.setNumThreads(threads);
        Cortado.manualSeed(0);
        x = Tensor.randn(v[0], v[1], v[2], v[2]).requiresGrad_(true);
        int groups = v.length > 8 ? v[8] : 1;
        w = Tensor.randn(v[3], v[1] / groups, v[4], v[4]).mul(0.1).detach().requiresGrad_(true);
        b = Tensor.zeros(v[3]).requiresGrad_(true);
        options = ConvOptions.DEFAULT.stride(v[5]).padding(v[6]).groups(groups);
        if (v[7] == 1) {
            options = options.paddingMode(PadMode.REFLECT);
        }
    }

    @Benchmark
    public Tensor forward() {
        try (var off = dev.cortado.autograd.GradMode.off()) {
            return Convolution.conv2d(x, w, b, options);
        }
    }

    @Benchmark
    public Tensor forwardBackward() {
        x.zeroGrad();
        w.zeroGrad();
        b.zeroGrad();
        Tensor y = Convolution.conv2d(x, w, b, options);
        y.sum().backward();
        return w.grad();
    }
}
