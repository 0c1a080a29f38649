package dev.cortado.examples;

import dev.cortado.data.Batch;
import dev.cortado.data.DataLoader;
import dev.cortado.data.EdgeClass;
import dev.cortado.data.EdgeConfig;
import dev.cortado.data.EdgeDetection;
import dev.cortado.data.Mnist;
import dev.cortado.data.Transforms;
import dev.cortado.examples.cli.CommonOptions;
import dev.cortado.tensor.Cortado;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * How fast data reaches the model: seconds to produce one shuffled epoch of MNIST train (ToTensor
 * + Normalize, batch 128) and to generate 5 × 1,000 edge images, medians of repeated runs.
 */
@Command(name = "bench-data", mixinStandardHelpOptions = true,
        description = "Seconds per MNIST training epoch of loading (ToTensor + Normalize, batch 128) and per 5×1,000 edge images generated.")
final class DataBench implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--workers", defaultValue = "2", description = "DataLoader worker threads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed repetitions after one warm-up (default: ${DEFAULT-VALUE})")
    int repeat;

    @Override
    public Integer call() throws IOException {
        common.start("bench-data");
        var mnistDir = common.data("mnist");
        if (Files.exists(mnistDir.resolve("train-images-idx3-ubyte.gz")) || Files.exists(mnistDir.resolve("train-images-idx3-ubyte"))) {
            Mnist train = Mnist.load(Mnist.Kind.MNIST, mnistDir, true, false,
                    Transforms.toTensor().andThen(Transforms.normalize(0.1307, 0.3081)));
            DataLoader loader = new DataLoader(train, DataLoader.Options.batch(128).shuffle(true).workers(workers).seed(common.seed));
            double s = median(() -> {
                long n = 0;
                for (Batch b : loader) {
                    n += b.size();
                }
                if (n != 60_000) {
                    throw new IllegalStateException("bench-data: an epoch gave " + n + " samples");
                }
            });
            System.out.printf(Locale.ROOT, "{\"workload\": \"mnist_train_epoch_b128\", \"seconds\": %.3f, \"images_per_s\": %.0f, "
                    + "\"workers\": %d, \"threads\": %d}%n", s, 60_000 / s, workers, Cortado.numThreads());
        } else {
            System.out.println("bench-data: no MNIST files in " + mnistDir.toAbsolutePath() + " (pass --data ../shared/data); skipping the epoch");
        }
        EdgeConfig five = EdgeConfig.DEFAULT.classTypes(EdgeClass.values());
        double g = median(() -> EdgeDetection.generate(five, EdgeDetection.Mode.TRAIN, common.seed));
        System.out.printf(Locale.ROOT, "{\"workload\": \"edges_5x1000_28px\", \"seconds\": %.4f, \"threads\": %d}%n", g, Cortado.numThreads());
        return 0;
    }

    private double median(Runnable work) {
        work.run();
        double[] t = new double[Math.max(1, repeat)];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
