package dev.cortado.examples;

import dev.cortado.examples.models.FashionConvNet;
import dev.cortado.examples.models.LeNet;
import dev.cortado.examples.models.ThreeConvCnn;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Module;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/**
 * Milliseconds per training step (forward, backward, SGD with momentum) of a notebook model on
 * random MNIST-shaped batches, printed as one JSON line.
 * {@code ./cortado bench-step [cnn|lenet|fashion] [--batch N] [--threads N]}
 */
@Command(name = "bench-step", mixinStandardHelpOptions = true,
        description = "Milliseconds per training step of an MNIST notebook model on random batches, as one JSON line.")
final class StepBench implements Runnable {
    @Parameters(paramLabel = "MODEL", arity = "0..1", defaultValue = "cnn", description = "cnn, lenet or fashion (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threadsOption;

    @Override
    public void run() {
        int threads = threadsOption != null ? threadsOption : Cortado.numThreads();
        Cortado.setNumThreads(threads);
        Cortado.manualSeed(0);
        Module m = switch (model) {
            case "cnn" -> new ThreeConvCnn();
            case "lenet" -> new LeNet();
            case "fashion" -> new FashionConvNet();
            default -> throw new IllegalArgumentException("bench-step: unknown model '" + model + "' (cnn, lenet, fashion)");
        };
        Tensor x = Tensor.randn(batch, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, batch);
        SGD opt = new SGD(m.parameters(), 0.01, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int warmup = 5;
        int steps = 20;
        for (int i = 0; i < warmup; i++) {
            step(m, opt, loss, x, y);
        }
        long t = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step(m, opt, loss, x, y);
        }
        double ms = (System.nanoTime() - t) / 1e6 / steps;
        System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"batch\": %d, \"threads\": %d, \"ms_per_step\": %.2f}%n", model, batch, threads, ms);
    }

    private static void step(Module m, SGD opt, CrossEntropyLoss loss, Tensor x, Tensor y) {
        opt.zeroGrad();
        loss.forward(m.forward(x), y).backward();
        opt.step();
    }
}
