package dev.cortado.examples;

import dev.cortado.data.Cifar10;
import dev.cortado.data.Cifar100;
import dev.cortado.data.DataLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.Example;
import dev.cortado.data.Image;
import dev.cortado.data.LabelledImages;
import dev.cortado.data.Mnist;
import dev.cortado.data.Subset;
import dev.cortado.data.Transform;
import dev.cortado.data.Transforms;
import dev.cortado.examples.cli.CommonOptions;
import dev.cortado.examples.cli.DataSets;
import dev.cortado.examples.models.ResNet;
import dev.cortado.examples.report.Plots;
import dev.cortado.examples.report.Report;
import dev.cortado.examples.report.Results;
import dev.cortado.examples.train.Fit;
import dev.cortado.nn.Module;
import dev.cortado.optim.MultiStepLR;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
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
 * The ResNet notebook: ResNet-n (depth 6n + 2) with the max-pool + zero-channel shortcut vs the
 * same plain net, BatchNorm and Kaiming (fan_out) init; RandomCrop(32, padding 4) + horizontal
 * flip + normalisation; SGD lr 0.1, momentum 0.9, weight decay 1e-4, batch 128; the learning rate
 * drops ×0.1 at 50 % and 75 % of the steps (32,000 and 48,000 of the notebook's 64,000).
 */
@Command(name = "resnet", mixinStandardHelpOptions = true, sortOptions = false,
        description = "ResNet-n vs the plain net of the same depth on CIFAR-10, CIFAR-100 or FashionMNIST padded to 32×32.")
final class Resnet implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", defaultValue = "cifar10", description = "cifar10, cifar100 or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--depth", defaultValue = "20", description = "20, 32, 44, 56 or 110 (default: ${DEFAULT-VALUE})")
    int depth;

    @Override
    public Integer call() throws IOException {
        if (!List.of(20, 32, 44, 56, 110).contains(depth)) {
            throw new IllegalArgumentException("--depth must be 20, 32, 44, 56 or 110 (6n + 2), got " + depth);
        }
        if (!List.of("cifar10", "cifar100", "fashion-mnist").contains(dataset)) {
            throw new IllegalArgumentException("--dataset must be cifar10, cifar100 or fashion-mnist, got '" + dataset + "'");
        }
        common.start("resnet-" + dataset);
        boolean cifar = dataset.startsWith("cifar");
        Transform<Tensor, Tensor> augment = Transforms.randomCrop(32, 4).andThen(Transforms.randomHorizontalFlip(0.5));
        Dataset<Example> train;
        Dataset<Example> test;
        List<String> classes;
        int channels;
        if (cifar) {
            boolean hundred = dataset.equals("cifar100");
            // Each set's own channel statistics over its training images.
            var normalize = hundred ? Transforms.normalize(new double[] {0.5071, 0.4865, 0.4409}, new double[] {0.2673, 0.2564, 0.2762})
                    : Transforms.normalize(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616});
            LabelledImages tr;
            try {
                tr = cifar(hundred, true, Transforms.toTensor().andThen(augment).andThen(normalize));
                test = cifar(hundred, false, Transforms.toTensor().andThen(normalize));
            } catch (IOException e) {
                System.err.println("resnet: " + (hundred ? "CIFAR-100" : "CIFAR-10") + " is not available (" + e.getMessage() + ").\n"
                        + (hundred ? "Put cifar-100-python in --data DIR or pass --download"
                                : "Put its binary files in --data DIR, pass --download, or run on FashionMNIST: ./cortado resnet --dataset fashion-mnist"));
                return 1;
            }
            train = tr;
            classes = tr.classes();
            channels = 3;
        } else {
            Transform<Image, Tensor> toPadded = Transforms.toTensor().andThen(Transforms.pad(2));
            var normalize = Transforms.normalize(0.2860, 0.3530);
            Mnist tr = DataSets.mnist(common, Mnist.Kind.FASHION_MNIST, true, toPadded.andThen(augment).andThen(normalize));
            train = tr;
            test = DataSets.mnist(common, Mnist.Kind.FASHION_MNIST, false, toPadded.andThen(normalize));
            classes = tr.classes();
            channels = 1;
        }
        if (common.quick) {
            train = new Subset<>(train, DataSets.randomSubset(train.size(), 2560, common.seed));
            test = new Subset<>(test, DataSets.randomSubset(test.size(), 1000, common.seed + 1));
        }
        DataLoader trainLoader = new DataLoader(train, DataLoader.Options.batch(128).shuffle(true).dropLast(false).workers(1).seed(common.seed));
        DataLoader testLoader = new DataLoader(test, DataLoader.Options.batch(500));
        long steps = common.steps != null ? common.steps
                : common.epochs != null || common.quick ? (long) common.epochs(1, 1) * trainLoader.length() : 64_000;
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        int epochs = (int) ((steps + trainLoader.length() - 1) / trainLoader.length());
        int[] milestones = {(int) (steps / 2), (int) (steps * 3 / 4)};
        int n = (depth - 2) / 6;
        Results results = new Results("resnet").config("dataset", dataset).config("depth", depth).config("steps", steps)
                .config("epochs", epochs).config("milestones", milestones).config("batch_size", 128)
                .config("optimizer", "SGD lr 0.1 momentum 0.9 weight_decay 1e-4").config("train_images", train.size())
                .config("test_images", test.size()).config("seed", common.seed).config("quick", common.quick)
                .config("threads", common.threadsUsed()).config("device", common.device().toString());
        String title = switch (dataset) {
            case "cifar10" -> "CIFAR-10";
            case "cifar100" -> "CIFAR-100";
            default -> "FashionMNIST padded to 32×32";
        };
        Report report = new Report("ResNet-" + depth + " vs plain-" + depth + " on " + title);
        report.text(String.format(Locale.ROOT, "%d training images (random crop with padding 4, horizontal flip), %d test images; batch 128; "
                + "%d steps (%d epochs), learning rate 0.1 dropping ×0.1 at steps %d and %d.%s", train.size(), test.size(), steps, epochs,
                milestones[0], milestones[1], cifar ? "" : " PyTorch on this machine, FashionMNIST, 3 epochs: ResNet-20 91.5 %, plain-20 "
                        + "87.1 %; required ResNet-20 ≥ 89 %."));
        List<Plots.Series> curves = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (boolean residual : new boolean[] {true, false}) {
            String name = (residual ? "ResNet-" : "plain-") + depth;
            Cortado.manualSeed(common.seed);
            Module model = new ResNet(n, channels, classes.size(), residual).to(common.device());
            SGD opt = new SGD(model.parameters(), 0.1, 0.9, 0, 1e-4, false);
            MultiStepLR schedule = new MultiStepLR(opt, milestones, 0.1);
            List<Double> stepLoss = new ArrayList<>();
            Fit.History h = Fit.run(name, model, trainLoader, testLoader, "test", opt, loss -> {
                schedule.step();
                stepLoss.add(loss);
            }, epochs, steps, classes.size(), common.device(), results);
            common.saveModel(name, model);
            double[] smooth = movingAverage(stepLoss, Math.max(1, (int) Math.min(50, steps / 20)));
            double[] x = new double[smooth.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            curves.add(new Plots.Series(name, x, smooth));
            results.metrics(name).put("step_train_loss_smoothed", smooth);
            String target = cifar || depth != 20 ? "" : residual ? common.verdict(h.finalAccuracy() >= 89) : "";
            rows.add(List.of(name, Long.toString(model.parameterCount(true)), Report.num(h.trainLoss().getLast(), 4),
                    Report.num(h.finalAccuracy(), 2), target));
        }
        Path out = common.out();
        Plots.lines(out.resolve("train-loss.png"), "Training loss per step (moving average): residual vs plain", "step", "cross-entropy", curves);
        report.table(List.of("model", "parameters", "final epoch train loss", "test accuracy (%)", "target"), rows)
                .image("training loss", "train-loss.png");
        results.write(out);
        String written = report.write(out);
        System.out.println("\nresults.json, " + written + " in " + out);
        return 0;
    }

    private LabelledImages cifar(boolean hundred, boolean train, Transform<Image, Tensor> transform) throws IOException {
        return hundred ? Cifar100.load(common.data("cifar-100"), train, common.download, transform)
                : Cifar10.load(common.data("cifar-10"), train, common.download, transform);
    }

    private static double[] movingAverage(List<Double> v, int window) {
        double[] out = new double[v.size()];
        double sum = 0;
        for (int i = 0; i < v.size(); i++) {
            sum += v.get(i);
            if (i >= window) {
                sum -= v.get(i - window);
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
