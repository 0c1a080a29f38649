package dev.cortado.benchmarks;

import dev.cortado.autograd.GradMode;
import dev.cortado.models.Models;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;

/**
 * A forward pass of torchvision's classifiers in evaluation mode, without gradients, on a batch
 * of 224×224 images: the depthwise (MobileNet, EfficientNet, ConvNeXt) and GELU (ConvNeXt, ViT)
 * layers that the notebook models lack. {@code benchmarks/torch_layers.py inference} times the
 * same in PyTorch.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InferenceBenchmark extends CpuKernelBenchmark {
    @Param({"mobilenet_v3_small", "mobilenet_v2", "efficientnet_b0", "convnext_tiny", "vit_b_16"})
    String model;

    @Param({"8"})
    int batch;

    @Param({"2"})
    int threads;

    Module net;
    Tensor x;

    @Setup
    public void setup() {
        Cortado.setNumThreads(threads);
        Cortado.manualSeed(0);
        net = Models.getModel(model);
        net.eval();
        x = Tensor.randn(batch, 3, 224, 224);
    }

    @Benchmark
    public Tensor forward() {
        try (var off = GradMode.off()) {
            return net.call(x);
        }
    }
}
