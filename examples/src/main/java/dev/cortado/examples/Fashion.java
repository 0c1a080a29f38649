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
 * loss curves, a per-class report and a confusion matrix for each final model.
 */
@Command(name = "fashion", mixinStandardHelpOptions = true, sortOptions = false,
        description = "FashionMNIST ConvNet: SGD with momentum vs Adam, loss curves, per-class report and confusion matrix.")
final class Fashion implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        common.start("fashion");
        var transform = Transforms.toTensor().andThen(Transforms.normalize(0.5, 0.5));
        Mnist fullTrain = DataSets.mnist(common, Mnist.Kind.FASHION_MNIST, true, transform);
        Mnist fullTest = DataSets.mnist(common, Mnist.Kind.FASHION_MNIST, false, transform);
        Dataset<Example> train = new Subset<>(fullTrain, DataSets.randomSubset(fullTrain.size(), common.quick ? 2000 : 10_000, common.seed));
        Dataset<Example> valid = new Subset<>(fullTest, DataSets.randomSubset(fullTest.size(), common.quick ? 500 : 1000, common.seed + 1));
        int epochs = common.epochs(30, 3);
        List<String> classes = fullTrain.classes();
        DataLoader trainLoader = new DataLoader(train, DataLoader.Options.batch(512).shuffle(true).workers(1).seed(common.seed));
        DataLoader validLoader = new DataLoader(valid, DataLoader.Options.batch(512));
        Results results = new Results("fashion").config("train_images", train.size()).config("valid_images", valid.size())
                .config("epochs", epochs).config("batch_size", 512).config("normalize", "mean 0.5, std 0.5").config("seed", common.seed)
                .config("quick", common.quick).config("threads", common.threadsUsed()).config("device", common.device().toString());
        Report report = new Report("FashionMNIST ConvNet: SGD with momentum vs Adam");
        report.text(String.format(Locale.ROOT, "%d training and %d validation images, batch 512, %d epoch(s), seed %d. PyTorch on this "
                + "machine after 30 epochs: SGD 80.0 %%, Adam 54.6 %% (the notebook's ReLU on the logits stalls Adam; it is kept). "
                + "Required: SGD ≥ 77 %%. With lr 0.1 and momentum 0.9 the ReLU on the logits can kill classes for good in the first "
                + "epoch, whichever library runs it: started from the same weights and batches (benchmarks/parity), PyTorch's and Cortado's "
                + "losses agree to four decimals over 60 steps, and PyTorch stalls too (27.8 %% after 30 epochs from seed 0's weights, 38.1 %% from its own seed-1 "
                + "initialisation).%s",
                train.size(), valid.size(), epochs, common.seed,
                common.quick ? " **Quick run**: a smaller subset and fewer epochs; the target applies to the full run." : ""));
        Cortado.manualSeed(common.seed);
        Summary summary = Summary.of(new FashionConvNet(), 1, 28, 28);
        System.out.println(summary);
        report.heading("Model").code(summary.toString());
        Path out = common.out();
        List<Plots.Series> losses = new ArrayList<>();
        List<Plots.Series> accuracies = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (String opt : List.of("SGD", "Adam")) {
            Cortado.manualSeed(common.seed);
            Module model = new FashionConvNet().to(common.device());
            Optimizer optimizer = opt.equals("SGD") ? new SGD(model.parameters(), 0.1, 0.9) : new Adam(model.parameters(), 1e-3);
            Fit.History h = Fit.run(opt, model, trainLoader, validLoader, "valid", optimizer, null, epochs, Long.MAX_VALUE, classes.size(),
                    common.device(), results);
            losses.add(new Plots.Series(opt + " train", h.trainLoss()));
            losses.add(new Plots.Series(opt + " validation", h.heldOutLoss()));
            accuracies.add(new Plots.Series(opt + " validation", h.heldOutAccuracy()));
            Evaluation last = h.last();
            String target = opt.equals("SGD") ? common.verdict(last.accuracy() >= 77) : "reported";
            rows.add(List.of(opt, Report.num(h.trainAccuracy().getLast(), 2), Report.num(last.accuracy(), 2),
                    opt.equals("SGD") ? "80.0" : "54.6", target));
            Pictures.confusion(out.resolve("confusion-" + opt.toLowerCase(Locale.ROOT) + ".png"),
                    String.format(Locale.ROOT, "FashionMNIST, %s: validation confusion (%.1f%%)", opt, last.accuracy()), last.confusion(), classes);
            results.metrics(opt).put("confusion", List.of(last.confusion()));
            report.heading(opt + ": per-class report (validation)").table(Evaluation.CLASS_REPORT_HEADERS, last.classReport(classes))
                    .image(opt + " confusion matrix", "confusion-" + opt.toLowerCase(Locale.ROOT) + ".png");
        }
        Plots.lines(out.resolve("loss.png"), "FashionMNIST: training and validation loss", "epoch", "cross-entropy", losses);
        Plots.lines(out.resolve("accuracy.png"), "FashionMNIST: validation accuracy", "epoch", "accuracy (%)", accuracies);
        report.heading("Results").table(List.of("optimizer", "train accuracy (%)", "validation accuracy (%)", "PyTorch here (%)", "target"), rows)
                .image("loss curves", "loss.png").image("validation accuracy", "accuracy.png");
        results.write(out);
        report.write(out);
        System.out.println("\nresults.json, report.md and plots in " + out);
        return 0;
    }

}
