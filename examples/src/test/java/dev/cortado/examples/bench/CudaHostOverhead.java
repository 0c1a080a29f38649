package dev.cortado.examples.bench;

import dev.cortado.cuda.HostOnlyCudaProvider;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Module;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The host's share of a CUDA training step: the workloads' steps on the {@code cuda-host-only}
 * device, which does no device work, so what is timed is autograd, layouts, the allocator and
 * argument packing. On a GPU this runs ahead of the device; a step cannot be faster than it.
 * One JSON line per workload, with the device calls of one step:
 * {@code benchmarks/cuda-host-overhead.sh [WORKLOAD ...]}.
 */
public final class CudaHostOverhead {
    private CudaHostOverhead() {
    }

    public static void main(String[] args) {
        List<Workload> workloads = new ArrayList<>();
        for (String a : args) {
            workloads.add(Workload.of(a));
        }
        if (workloads.isEmpty()) {
            workloads = List.of(Workload.MNIST_LENET_B128, Workload.CIFAR_RESNET20_B128);
        }
        for (Workload w : workloads) {
            Map<String, Long> calls = callsOfOneStep(w);
            StepTimer.Timing t = StepTimer.time(w, HostOnlyCudaProvider.DEVICE, 5, 20, 2.0);
            long deviceCalls = calls.get("launch") + calls.get("gemm") + calls.get("conv_forward") + calls.get("conv_backward_data")
                    + calls.get("conv_backward_filter") + calls.get("copy") + calls.get("upload") + calls.get("download");
            System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"host_ms_per_step\": %.3f, \"steps\": %d, \"device_calls\": %d, "
                            + "\"host_us_per_call\": %.2f, \"calls\": %s}%n", w.key(), t.ms(), t.steps(), deviceCalls,
                    1000 * t.ms() / deviceCalls, json(calls));
        }
    }

    /**
     * The device calls of one training step in the steady state: after two steps, since the
     * first allocates everything and the second also holds the first one's gradients until its
     * scope closes.
     */
    static Map<String, Long> callsOfOneStep(Workload w) {
        Cortado.manualSeed(0);
        Module m = w.model().to(HostOnlyCudaProvider.DEVICE);
        m.train();
        Tensor x = Tensor.randn(w.inputShape()).to(HostOnlyCudaProvider.DEVICE);
        Tensor y = Tensor.randint(0, w.classes, w.batch).to(HostOnlyCudaProvider.DEVICE);
        SGD opt = new SGD(m.parameters(), 0.01, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        StepTimer.trainStep(m, opt, loss, x, y);
        StepTimer.trainStep(m, opt, loss, x, y);
        Map<String, Long> before = HostOnlyCudaProvider.counts();
        Map<String, Long> kernelsBefore = HostOnlyCudaProvider.kernels();
        StepTimer.trainStep(m, opt, loss, x, y);
        Map<String, Long> after = HostOnlyCudaProvider.counts();
        after.replaceAll((k, v) -> v - before.get(k));
        HostOnlyCudaProvider.kernels().forEach((k, v) -> {
            long n = v - kernelsBefore.getOrDefault(k, 0L);
            if (n > 0) {
                after.put("kernel " + k, n);
            }
        });
        return after;
    }

    private static String json(Map<String, Long> calls) {
        StringBuilder sb = new StringBuilder("{");
        calls.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return sb.append('}').toString();
    }
}
