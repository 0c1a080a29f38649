package dev.cortado.examples;

import dev.cortado.data.Cifar10;
import dev.cortado.data.DataLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.Example;
import dev.cortado.data.Mnist;
import dev.cortado.data.Sampler;
import dev.cortado.data.Subset;
import dev.cortado.data.Transforms;
import dev.cortado.examples.cli.CommonOptions;
import dev.cortado.examples.cli.DataSets;
import dev.cortado.examples.models.LeNet;
import dev.cortado.examples.models.MultiLayerPerceptron;
import dev.cortado.examples.models.ThreeConvCnn;
import dev.cortado.examples.models.ThreeLayerConvNet;
import dev.cortado.examples.report.Plots;
import dev.cortado.examples.report.Report;
import dev.cortado.examples.report.Results;
import dev.cortado.examples.train.Fit;
import dev.cortado.nn.Module;
import dev.cortado.nn.Summary;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The MLP-vs-CNN notebooks: on MNIST, FC 784-512-256-128-10 vs LeNet vs the 3-conv CNN (SGD lr
 * 0.1, batch 128, 5 epochs); on CIFAR-10, ThreeLayerMLP vs ThreeLayerConvNet (49,000/1,000
 * split, SGD lr 3e-3, batch 64, 2 epochs). Parameter tables, per-epoch figures and plots.
 */
@Command(name = "mlp-vs-cnn", mixinStandardHelpOptions = true, sortOptions = false,
        description = "MLP vs CNN on MNIST (FC / LeNet / 3-conv CNN) or CIFAR-10 (ThreeLayerMLP / ThreeLayerConvNet).")
final class MlpVsCnn implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or cifar10 (default: ${DEFAULT-VALUE})")
    String dataset;

    /** PyTorch's test accuracy with the notebook configuration on this machine. */
    private static final Map<String, Double> PYTORCH_MNIST = Map.of("FC", 96.8, "LeNet", 98.3, "CNN", 98.0);

    @Override
    public Integer call() throws IOException {
        if (!dataset.equals("mnist") && !dataset.equals("cifar10")) {
            throw new IllegalArgumentException("--dataset must be mnist or cifar10, got '" + dataset + "'");
        }
        common.start("mlp-vs-cnn-" + dataset);
        return dataset.equals("mnist") ? mnist() : cifar();
    }

    private int mnist() throws IOException {
        var transform = Transforms.toTensor().andThen(Transforms.normalize(0.1307, 0.3081));
        Dataset<Example> train = DataSets.mnist(common, Mnist.Kind.MNIST, true, transform);
        Dataset<Example> test = DataSets.mnist(common, Mnist.Kind.MNIST, false, transform);
        if (common.quick) {
            train = new Subset<>(train, DataSets.randomSubset(train.size(), 6000, common.seed));
            test = new Subset<>(test, DataSets.randomSubset(test.size(), 2000, common.seed + 1));
        }
        int epochs = common.epochs(5, 1);
        Map<String, Supplier<Module>> models = new LinkedHashMap<>();
        models.put("FC", () -> new MultiLayerPerceptron(784, new int[] {512, 256, 128}, 10));
        models.put("LeNet", LeNet::new);
        models.put("CNN", ThreeConvCnn::new);
        DataLoader trainLoader = new DataLoader(train, DataLoader.Options.batch(128).shuffle(true).workers(1).seed(common.seed));
        DataLoader testLoader = new DataLoader(test, DataLoader.Options.batch(1000).workers(1));
        Results results = new Results("mlp-vs-cnn").config("dataset", "mnist").config("train_images", train.size())
                .config("test_images", test.size()).config("epochs", epochs).config("batch_size", 128).config("optimizer", "SGD lr 0.1")
                .config("normalize", "mean 0.1307, std 0.3081").config("seed", common.seed).config("quick", common.quick)
                .config("threads", common.threadsUsed()).config("device", common.device().toString());
        Report report = new Report("MLP vs CNN on MNIST");
        report.text(String.format(Locale.ROOT, "%d training and %d test images, SGD lr 0.1, batch 128, %d epoch(s), seed %d.%s", train.size(),
                test.size(), epochs, common.seed, common.quick ? " **Quick run**: a subset and fewer epochs; the targets apply to the full run." : ""));
        List<List<String>> rows = new ArrayList<>();
        List<Plots.Series> accuracy = new ArrayList<>();
        List<Plots.Series> losses = new ArrayList<>();
        for (var entry : models.entrySet()) {
            String name = entry.getKey();
            Cortado.manualSeed(common.seed);
            Module model = entry.getValue().get();
            Summary summary = Summary.of(model, 1, 28, 28);
            System.out.println("\n" + name + "\n" + summary);
            report.heading(name).code(summary.toString());
            model.to(common.device());
            Fit.History h = Fit.run(name, model, trainLoader, testLoader, "test", new SGD(model.parameters(), 0.1), null, epochs,
                    Long.MAX_VALUE, 10, common.device(), results);
            common.saveModel(name, model);
            double torch = PYTORCH_MNIST.get(name);
            rows.add(List.of(name, Long.toString(summary.totalParams()), Report.num(h.trainAccuracy().getLast(), 2),
                    Report.num(h.finalAccuracy(), 2), Report.num(torch, 1), common.verdict(h.finalAccuracy() >= torch - 0.5), Report.num(h.seconds(), 1)));
            accuracy.add(new Plots.Series(name + " test", h.heldOutAccuracy()));
            accuracy.add(new Plots.Series(name + " train", h.trainAccuracy()));
            losses.add(new Plots.Series(name, h.trainLoss()));
        }
        Path out = common.out();
        Plots.lines(out.resolve("accuracy.png"), "MNIST: accuracy per epoch", "epoch", "accuracy (%)", accuracy);
        Plots.lines(out.resolve("train-loss.png"), "MNIST: training loss per epoch", "epoch", "cross-entropy", losses);
        report.heading("Results").table(List.of("model", "parameters", "train accuracy (%)", "test accuracy (%)", "PyTorch here (%)",
                "≥ PyTorch − 0.5", "seconds"), rows).image("accuracy", "accuracy.png").image("training loss", "train-loss.png");
        results.write(out);
        String written = report.write(out);
        System.out.println("\nresults.json, " + written + " in " + out);
        return 0;
    }

    private int cifar() throws IOException {
        var normalize = Transforms.normalize(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2023, 0.1994, 0.2010});
        Cifar10 train;
        Cifar10 test;
        try {
            train = Cifar10.load(common.data("cifar-10"), true, common.download, Transforms.toTensor().andThen(normalize));
            test = Cifar10.load(common.data("cifar-10"), false, common.download, Transforms.toTensor().andThen(normalize));
        } catch (IOException e) {
            System.err.println("mlp-vs-cnn --dataset cifar10 needs the CIFAR-10 binary files (data_batch_1.bin … data_batch_5.bin, "
                    + "test_batch.bin) in --data DIR, DIR/cifar-10 or DIR/cifar-10-batches-bin, or --download.\n" + e.getMessage());
            return 1;
        }
        int total = train.size();
        int valSize = Math.min(1000, total / 50 + 1);
        int trainSize = common.quick ? Math.min(5000, total - valSize) : total - valSize;
        int[] trainIdx = new int[trainSize];
        int[] valIdx = new int[valSize];
        for (int i = 0; i < trainSize; i++) {
            trainIdx[i] = i;
        }
        for (int i = 0; i < valSize; i++) {
            valIdx[i] = total - valSize + i;
        }
        int epochs = common.epochs(2, 1);
        DataLoader trainLoader = new DataLoader(train, DataLoader.Options.batch(64).sampler(Sampler.subsetRandom(trainIdx)).workers(1)
                .seed(common.seed));
        DataLoader valLoader = new DataLoader(train, DataLoader.Options.batch(500).sampler(Sampler.subsetRandom(valIdx)));
        Results results = new Results("mlp-vs-cnn").config("dataset", "cifar10").config("train_images", trainSize)
                .config("valid_images", valSize).config("test_images", test.size()).config("epochs", epochs).config("batch_size", 64)
                .config("optimizer", "SGD lr 3e-3").config("seed", common.seed).config("quick", common.quick)
                .config("threads", common.threadsUsed());
        Report report = new Report("MLP vs CNN on CIFAR-10");
        report.text(String.format(Locale.ROOT, "%d training images (SubsetRandomSampler), %d validation images, SGD lr 3e-3, batch 64, "
                + "%d epoch(s), seed %d.", trainSize, valSize, epochs, common.seed));
        Map<String, Supplier<Module>> models = new LinkedHashMap<>();
        models.put("ThreeLayerMLP", () -> new MultiLayerPerceptron(3 * 32 * 32, new int[] {350, 350}, 10));
        models.put("ThreeLayerConvNet", () -> new ThreeLayerConvNet(3, 100, 100, 32, 10));
        List<List<String>> rows = new ArrayList<>();
        List<Plots.Series> accuracy = new ArrayList<>();
        DataLoader testLoader = new DataLoader(test, DataLoader.Options.batch(500));
        for (var entry : models.entrySet()) {
            String name = entry.getKey();
            Cortado.manualSeed(common.seed);
            Module model = entry.getValue().get();
            Summary summary = Summary.of(model, 3, 32, 32);
            System.out.println("\n" + name + "\n" + summary);
            report.heading(name).code(summary.toString());
            model.to(common.device());
            Fit.History h = Fit.run(name, model, trainLoader, valLoader, "valid", new SGD(model.parameters(), 3e-3), null, epochs,
                    Long.MAX_VALUE, 10, common.device(), results);
            common.saveModel(name, model);
            double testAcc = dev.cortado.examples.train.Training.evaluate(model, testLoader, new dev.cortado.nn.CrossEntropyLoss(),
                    common.device(), 10).accuracy();
            results.metrics(name).put("final_test_accuracy", testAcc);
            rows.add(List.of(name, Long.toString(summary.totalParams()), Report.num(h.finalAccuracy(), 2), Report.num(testAcc, 2)));
            accuracy.add(new Plots.Series(name + " validation", h.heldOutAccuracy()));
        }
        Path out = common.out();
        Plots.lines(out.resolve("accuracy.png"), "CIFAR-10: validation accuracy per epoch", "epoch", "accuracy (%)", accuracy);
        report.heading("Results").table(List.of("model", "parameters", "validation accuracy (%)", "test accuracy (%)"), rows)
                .image("accuracy", "accuracy.png");
        results.write(out);
        String written = report.write(out);
        System.out.println("\nresults.json, " + written + " in " + out);
        return 0;
    }

}
