package dev.cortado.examples;

import dev.cortado.cuda.Cuda;
import dev.cortado.cuda.driver.Gpu;
import dev.cortado.examples.bench.StepTimer;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Flatten;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Says whether Cortado can use the GPU: the device and the versions of the stack, then a smoke
 * test: three training steps of a small conv net (conv, batch norm, ReLU, max pool, linear) on
 * the GPU and on the CPU from the same weights, whose losses and weights must agree.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "Print the CUDA device, driver, runtime, cuBLAS, cuDNN and NVRTC versions, and compare a few training steps with the CPU.")
final class GpuCheck implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "0", description = "CUDA device index (default: ${DEFAULT-VALUE})")
    int index;

    @Override
    public Integer call() {
        if (!Cuda.isAvailable()) {
            System.out.println("CUDA is not usable: " + Cuda.whyUnavailable());
            return 1;
        }
        Gpu.Info i = Cuda.info(index);
        System.out.printf(Locale.ROOT, "device   cuda:%d  %s  (compute capability %d.%d, %d SMs, %.1f GiB)%n", i.index(), i.name(), i.major(),
                i.minor(), i.multiprocessors(), i.totalBytes() / (1024.0 * 1024 * 1024));
        System.out.printf(Locale.ROOT, "driver   CUDA %s   runtime %s   cuBLAS %d   cuDNN %d   NVRTC %s%n", version(i.driverVersion()),
                version(i.runtimeVersion()), i.cublasVersion(), i.cudnnVersion(), i.nvrtcVersion());
        Device gpu = Device.cuda(index);
        Module onCpu = model();
        Module onGpu = model().to(gpu);
        double[] cpuLoss = train(onCpu, Device.CPU);
        double[] gpuLoss = train(onGpu, gpu);
        double worst = 0;
        for (int s = 0; s < cpuLoss.length; s++) {
            System.out.printf(Locale.ROOT, "step %d   loss cpu %.6f   gpu %.6f%n", s + 1, cpuLoss[s], gpuLoss[s]);
            worst = Math.max(worst, Math.abs(cpuLoss[s] - gpuLoss[s]) / (1 + Math.abs(cpuLoss[s])));
        }
        Map<String, Tensor> cpuParams = onCpu.namedParameters();
        for (Map.Entry<String, Tensor> e : onGpu.namedParameters().entrySet()) {
            float[] g = e.getValue().toFloatArray();
            float[] c = cpuParams.get(e.getKey()).toFloatArray();
            for (int k = 0; k < g.length; k++) {
                worst = Math.max(worst, Math.abs(g[k] - c[k]) / (1 + Math.abs(c[k])));
            }
        }
        System.out.println("memory   " + Cuda.memoryStats(index));
        boolean ok = worst <= 1e-4;
        System.out.printf(Locale.ROOT, "smoke test %s: largest relative difference from the CPU %.2e (limit 1e-4)%n", ok ? "passed" : "FAILED",
                worst);
        return ok ? 0 : 1;
    }

    private static String version(int v) {
        return v / 1000 + "." + v % 1000 / 10;
    }

    private static Module model() {
        Cortado.manualSeed(7);
        return new Sequential(new Conv2d(1, 8, 3), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 13 * 13, 10));
    }

    private static double[] train(Module m, Device device) {
        Cortado.manualSeed(11);
        Tensor x = Tensor.randn(16, 1, 28, 28).to(device);
        Tensor y = Tensor.randint(0, 10, 16).to(device);
        // A step size at which three steps on random labels lower the loss: at 0.1 the second
        // overshoots (2.87, then 23.1), which reads as a fault though both devices agree.
        SGD opt = new SGD(m.parameters(), 0.01, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double[] losses = new double[3];
        for (int s = 0; s < losses.length; s++) {
            losses[s] = StepTimer.trainStep(m, opt, loss, x, y);
        }
        return losses;
    }
}
