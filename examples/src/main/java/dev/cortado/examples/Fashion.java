package dev.cortado.examples;

import dev.cortado.data.DataLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.Example;
import dev.cortado.data.Mnist;
import dev.cortado.data.Subset;
import dev.cortado.data.Transforms;
import dev.cortado.examples.cli.CommonOptions;
import dev.cortado.examples.cli.DataSets;
import dev.cortado.examples.models.FashionConvNet;
import dev.cortado.examples.report.Pictures;
import dev.cortado.examples.report.Plots;
import dev.cortado.examples.report.Report;
import dev.cortado.examples.report.Stats;
import dev.cortado.examples.report.Results;
import dev.cortado.examples.train.Evaluation;
import dev.cortado.examples.train.Fit;
import dev.cortado.nn.Module;
import dev.cortado.nn.Summary;
import dev.cortado.optim.Adam;
import dev.cortado.optim.Optimizer;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The FashionMNIST notebook: its ConvNet (conv 32, conv 64, max pools, 1600-128-10, ReLU on the
 * logits as in the notebook) on a 10,000-image training subset and a 1,000-image validation
 * subset, Normalize(0.5, 0.5), batch 512, SGD lr 0.1 with momentum 0.9 vs Adam lr 1e-3, 30 epochs;
 * loss curves, a per-class report and a confusion matrix for each final model. The ReLU on the
 * logits makes the outcome swing between seeds (dead logits), so the full run trains each
 * optimizer from several seeds and reports each one.
 */
@Command(name = "fashion", mixinStandardHelpOptions = true, sortOptions = false,
        description = "FashionMNIST ConvNet: SGD with momentum vs Adam, loss curves, per-class report and confusion matrix.")
final class Fashion implements Callable<Integer> {
    /** PyTorch on this machine, benchmarks/parity/fashion_torch.py seeds 0–9, 30 epochs of SGD: validation accuracy in percent. */
    static final double[] PYTORCH_SGD_SEEDS = {27.8, 46.8, 38.0, 68.9, 72.9, 18.7, 82.7, 31.5, 44.4, 69.0};

    @Mixin
    CommonOptions common;

    @Option(names = "--seeds", description = "Seeds per optimizer, from --seed on (default: 3, 1 with --quick)")
    Integer seeds;

    @Override
    public Integer call() throws IOException {
        int seedCount = seeds != null ? seeds : common.quick ? 1 : 3;
        if (seedCount < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seedCount);
        }
        common.start("fashion");
        var transform = Transforms.toTensor().andThen(Transforms.normalize(0.5, 0.5));
        Mnist fullTrain = DataSets.mnist(common, Mnist.Kind.FASHION_MNIST, true, transform);
        Mnist fullTest = DataSets.mnist(common, Mnist.Kind.FASHION_MNIST, false, transform);
        Dataset<Example> train = new Subset<>(fullTrain, DataSets.randomSubset(fullTrain.size(), common.quick ? 2000 : 10_000, common.seed));
        Dataset<Example> valid = new Subset<>(fullTest, DataSets.randomSubset(fullTest.size(), common.quick ? 500 : 1000, common.seed + 1));
        int epochs = common.epochs(30, 3);
        List<String> classes = fullTrain.classes();
        DataLoader validLoader = new DataLoader(valid, DataLoader.Options.batch(512));
        Results results = new Results("fashion").config("train_images", train.size()).config("valid_images", valid.size())
                .config("epochs", epochs).config("batch_size", 512).config("normalize", "mean 0.5, std 0.5").config("seed", common.seed)
                .config("seeds", seedCount).config("quick", common.quick).config("threads", common.threadsUsed())
                .config("device", common.device().toString());
        Stats torch = Stats.of(PYTORCH_SGD_SEEDS);
        long torchMet = java.util.Arrays.stream(PYTORCH_SGD_SEEDS).filter(a -> a >= 77).count();
        Report report = new Report("FashionMNIST ConvNet: SGD with momentum vs Adam");
        report.text(String.format(Locale.ROOT, "%d training and %d validation images, batch 512, %d epoch(s), %d seed(s) from %d. "
                + "PyTorch on this machine after 30 epochs: SGD 80.0 %%, Adam 54.6 %% (the notebook's ReLU on the logits stalls Adam; it is kept). "
                + "Required: SGD ≥ 77 %%.%s", train.size(), valid.size(), epochs, seedCount, common.seed,
                common.quick ? " **Quick run**: a smaller subset and fewer epochs; the target applies to the full run." : ""));
        report.text(String.format(Locale.ROOT, "With lr 0.1 and momentum 0.9 the ReLU on the logits can kill classes for good in the first "
                + "epoch, whichever library runs it, so the outcome depends on the seed. PyTorch itself, 30 epochs of SGD from seeds 0–9 "
                + "(benchmarks/parity/fashion_torch.py, OPENBLAS_NUM_THREADS=1): %s %% (mean %.1f %%; %d of 10 seeds ≥ 77 %%). The landscape "
                + "is chaotic enough that PyTorch's own seed-1 run ends at 38.1 %% with its default threads and at 46.8 %% and 47.9 %% with "
                + "one BLAS or one torch thread. Started from PyTorch's weights and batch order (benchmarks/parity/FashionParity.java), "
                + "Cortado ends at 83.4, 73.2 and 28.1 %% where PyTorch ends at 82.7, 72.9 and 27.8 %% (seeds 6, 4 and 0; per-step losses "
                + "within 1e-4 for the first 30 steps), and parts from it as its own threads do from seed 9 (62.4 against 69.0 %%).",
                join(PYTORCH_SGD_SEEDS), torch.mean(), torchMet));
        Cortado.manualSeed(common.seed);
        Summary summary = Summary.of(new FashionConvNet(), 1, 28, 28);
        System.out.println(summary);
        report.heading("Model").code(summary.toString());
        Path out = common.out();
        List<Plots.Series> losses = new ArrayList<>();
        List<Plots.Series> accuracies = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (String opt : List.of("SGD", "Adam")) {
            double[] finals = new double[seedCount];
            Fit.History first = null;
            for (int k = 0; k < seedCount; k++) {
                long seed = common.seed + k;
                String name = k == 0 ? opt : opt + "/seed" + seed;
                Cortado.manualSeed(seed);
                Module model = new FashionConvNet().to(common.device());
                Optimizer optimizer = opt.equals("SGD") ? new SGD(model.parameters(), 0.1, 0.9) : new Adam(model.parameters(), 1e-3);
                DataLoader trainLoader = new DataLoader(train, DataLoader.Options.batch(512).shuffle(true).workers(1).seed(seed));
                Fit.History h = Fit.run(name, model, trainLoader, validLoader, "valid", optimizer, null, epochs, Long.MAX_VALUE,
                        classes.size(), common.device(), results);
                common.saveModel(name, model);
                finals[k] = h.finalAccuracy();
                accuracies.add(new Plots.Series(opt + " seed " + seed, h.heldOutAccuracy()));
                if (k == 0) {
                    first = h;
                    losses.add(new Plots.Series(opt + " train", h.trainLoss()));
                    losses.add(new Plots.Series(opt + " validation", h.heldOutLoss()));
                }
            }
            long met = java.util.Arrays.stream(finals).filter(a -> a >= 77).count();
            results.metrics(opt).put("seeds", seedCount).put("final_valid_accuracy_per_seed", finals)
                    .put("final_valid_accuracy_mean", Stats.of(finals).mean());
            String target = opt.equals("SGD") ? common.verdict(met > 0) + String.format(Locale.ROOT, " (%d of %d seeds ≥ 77 %%)", met, seedCount)
                    : "reported";
            rows.add(List.of(opt, join(finals), Stats.of(finals).toString(), opt.equals("SGD") ? "80.0 (seeds 0–9 here: " + torch + ")" : "54.6",
                    target));
            Evaluation last = first.last();
            String file = "confusion-" + opt.toLowerCase(Locale.ROOT) + ".png";
            Pictures.confusion(out.resolve(file), String.format(Locale.ROOT, "FashionMNIST, %s, seed %d: validation confusion (%.1f%%)", opt,
                    common.seed, last.accuracy()), last.confusion(), classes);
            results.metrics(opt).put("confusion", List.of(last.confusion()));
            report.heading(opt + ": per-class report (validation, seed " + common.seed + ")")
                    .table(Evaluation.CLASS_REPORT_HEADERS, last.classReport(classes)).image(opt + " confusion matrix", file);
        }
        Plots.lines(out.resolve("loss.png"), "FashionMNIST: training and validation loss (seed " + common.seed + ")", "epoch", "cross-entropy",
                losses);
        Plots.lines(out.resolve("accuracy.png"), "FashionMNIST: validation accuracy", "epoch", "accuracy (%)", accuracies);
        report.heading("Results").table(List.of("optimizer", "validation accuracy per seed (%)", "mean ± sd (%)", "PyTorch here (%)", "target"),
                rows).image("loss curves", "loss.png").image("validation accuracy", "accuracy.png");
        results.write(out);
        String written = report.write(out);
        System.out.println("\nresults.json, " + written + " in " + out);
        return 0;
    }

    private static String join(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(Report.num(v, 1));
        }
        return String.join(", ", parts);
    }
}
