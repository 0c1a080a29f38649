package dev.cortado.examples.bench;

import dev.cortado.cuda.Cuda;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./cortado bench [workload ...] [--steps N] [--warmup N] [--threads N[,N...]]}: milliseconds
 * per training step of the notebook models, one JSON line per workload (and thread count) so that
 * scripts can pair each with PyTorch's figure ({@code benchmarks/vs-pytorch.sh}) or one thread
 * count with another ({@code benchmarks/threads.sh}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Median milliseconds per training step (forward, cross-entropy, backward, SGD momentum) of the notebook "
                + "models on random data, one JSON line per workload.")
public final class Bench implements Callable<Integer> {
    @Parameters(paramLabel = "WORKLOAD", arity = "0..*",
            description = "mnist_fc_b128, mnist_lenet_b128, mnist_cnn3_b128, edge_simplecnn7_b32, cifar_3layerconv_b64, "
                    + "cifar_resnet20_b128, seq_lstm2_b32 (default: these), imagenet_resnet18_b16, imagenet_mobilenetv3s_b16")
    List<String> names = new ArrayList<>();

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps; the median is reported (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--min-time", defaultValue = "0", description = "Time steps for at least this many seconds too, "
            + "so that a short burst of another job cannot cover them all (default: ${DEFAULT-VALUE})")
    double minTime;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first; warm-up then goes on until the step time settles (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", split = ",", paramLabel = "N", description = "CPU threads (default: all cores); several "
            + "counts alternate within one run, a line each")
    List<Integer> threads = new ArrayList<>();

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--profile", description = "With --device cuda: after timing, run the steps again with every kernel, "
            + "cuBLAS and cuDNN call and copy timed by events, and print each one's calls and device milliseconds per step")
    boolean profile;

    @Override
    public Integer call() {
        if (threads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (steps < 1 || warmup < 0 || !(minTime >= 0)) {
            throw new IllegalArgumentException("--steps must be at least 1, --warmup and --min-time at least 0, got " + steps + ", "
                    + warmup + " and " + minTime);
        }
        // The ImageNet models take seconds a step: they run when named.
        List<Workload> workloads = names.isEmpty() ? java.util.Arrays.stream(Workload.values()).filter(w -> !w.key().startsWith("imagenet_")).toList()
                : names.stream().map(Workload::of).toList();
        int[] counts = threads.isEmpty() ? new int[] {Cortado.numThreads()} : threads.stream().mapToInt(Integer::intValue).toArray();
        Device d = Device.parse(device);
        if (profile) {
            if (!d.type().equals("cuda")) {
                throw new IllegalArgumentException("--profile times GPU calls; it needs --device cuda, got --device " + device);
            }
            // Read when the CUDA backend starts, which is on the first use of the device below.
            System.setProperty("cortado.cuda.profile", "true");
        }
        int before = Cortado.numThreads();
        try {
            for (Workload w : workloads) {
                StepTimer.Timing[] t = StepTimer.time(w, d, warmup, steps, minTime, counts);
                for (int i = 0; i < counts.length; i++) {
                    System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"ms_per_step\": %.2f, \"steps\": %d, \"threads\": %d, \"device\": \"%s\"}%n",
                            w.key(), t[i].ms(), t[i].steps(), counts[i], d);
                }
                if (profile) {
                    printProfile(w, d);
                }
            }
        } finally {
            Cortado.setNumThreads(before);
        }
        return 0;
    }

    /** One JSON line: each call's count and device milliseconds per step, over {@code steps} steps after a warm-up. */
    private void printProfile(Workload w, Device d) {
        StepTimer.run(w, d, warmup, () -> Cuda.profile(d.index()), steps);
        StringBuilder sb = new StringBuilder();
        for (Cuda.KernelTime t : Cuda.profile(d.index())) {
            sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "{\"name\": \"%s\", \"calls_per_step\": %.2f, "
                    + "\"ms_per_step\": %.4f}", t.name(), (double) t.calls() / steps, t.totalMs() / steps));
        }
        System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"device\": \"%s\", \"profile_steps\": %d, \"profile\": [%s]}%n", w.key(), d,
                steps, sb);
    }
}
