package dev.cortado.examples;

import dev.cortado.data.AutoAugment;
import dev.cortado.data.DataLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.Example;
import dev.cortado.data.Image;
import dev.cortado.data.ImageFolder;
import dev.cortado.data.Subset;
import dev.cortado.data.Transform;
import dev.cortado.data.Transforms;
import dev.cortado.examples.cli.CommonOptions;
import dev.cortado.examples.models.ResNet;
import dev.cortado.examples.report.Pictures;
import dev.cortado.examples.report.Plots;
import dev.cortado.examples.report.Report;
import dev.cortado.examples.report.Results;
import dev.cortado.examples.train.Evaluation;
import dev.cortado.examples.train.Fit;
import dev.cortado.models.Weights;
import dev.cortado.nn.Checkpoints;
import dev.cortado.nn.Module;
import dev.cortado.nn.Summary;
import dev.cortado.optim.CosineAnnealingLR;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A CIFAR ResNet trained on your own images: {@code --data DIR} holds one folder per class
 * (torchvision's ImageFolder layout), or {@code train/} and {@code val/} (or {@code valid/},
 * {@code test/}) folders laid out that way. Images are resized (antialiased) so that the shorter
 * side is {@code --size}, centre-cropped square, flipped at random for training, and normalised
 * with mean and std 0.5; SGD with momentum 0.9, weight decay 5e-4 and a cosine schedule. With
 * {@code --pretrained MODEL}, one of torchvision's ImageNet models is fine-tuned instead, with its
 * weights' preprocessing and a new last layer ({@code --freeze} trains that layer alone).
 */
@Command(name = "image-folder", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a ResNet on your own images: one folder per class under --data (or under --data/train and --data/val).")
final class ImageFolderTraining implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--size", description = "Image side after resizing and cropping (default: 32, or the pretrained weights' crop)")
    Integer sizeOption;

    @Option(names = "--pretrained", paramLabel = "MODEL",
            description = "Fine-tune one of torchvision's ImageNet models (resnet18, mobilenet_v3_small, efficientnet_b0, ...) with a new "
                    + "last layer, instead of training a CIFAR ResNet from scratch; weights from torch.hub's cache or downloaded, or --init FILE")
    String pretrained;

    @Option(names = "--freeze", description = "With --pretrained: train only the new last layer")
    boolean freeze;

    @Option(names = "--augment", defaultValue = "flip", paramLabel = "POLICY",
            description = "Training augmentation before the horizontal flip: flip (the flip alone), trivial (TrivialAugmentWide), rand "
                    + "(RandAugment, 2 operations at magnitude 9), auto-imagenet, auto-cifar10 or auto-svhn (AutoAugment's policies), augmix "
                    + "(default: ${DEFAULT-VALUE})")
    String augment;

    @Option(names = "--blocks", defaultValue = "3", description = "Basic blocks per stage: ResNet-(6n+2), 3 for ResNet-20 (default: ${DEFAULT-VALUE})")
    int blocks;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "0.05", description = "Initial learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--val-fraction", defaultValue = "0.2",
            description = "Share of the images held out for validation when --data has no val folder (default: ${DEFAULT-VALUE})")
    double valFraction;

    @Option(names = "--init", paramLabel = "FILE",
            description = "Start from these weights (a model.pt of an earlier run, or a torch.save / safetensors state dict of the same ResNet)")
    Path init;

    @Override
    public Integer call() throws IOException {
        Weights weights = pretrained == null ? null : Weights.defaultFor(pretrained);
        int size = sizeOption != null ? sizeOption : weights != null ? weights.cropSize() : 32;
        if (freeze && pretrained == null) {
            throw new IllegalArgumentException("image-folder: --freeze needs --pretrained MODEL");
        }
        if (size < 8 || blocks < 1 || batch < 1 || !(lr > 0) || !(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("image-folder: --size must be at least 8, --blocks and --batch positive, --lr positive and "
                    + "--val-fraction in (0, 1); got " + size + ", " + blocks + ", " + batch + ", " + lr + ", " + valFraction);
        }
        Transform<Image, Image> augmentation = augmentation(augment);
        common.start("image-folder");
        Path root = common.data();
        // Pretrained weights expect their own preprocessing: resize in proportion to their crop, ImageNet's statistics.
        int resize = weights == null ? size : (int) Math.round((double) size * weights.resizeSize() / weights.cropSize());
        Transform<Tensor, Tensor> shape = Transforms.resize(resize, weights == null ? "bilinear" : weights.interpolation())
                .andThen(Transforms.centerCrop(size));
        Transform<Tensor, Tensor> normalize = weights == null ? Transforms.normalize(0.5, 0.5) : Transforms.normalize(weights.mean(), weights.std());
        Transform<Image, Tensor> evalTransform = Transforms.toTensor().andThen(shape).andThen(normalize);
        Transform<Image, Tensor> trainTransform = augmentation.andThen(Transforms.toTensor()).andThen(shape)
                .andThen(Transforms.randomHorizontalFlip(0.5)).andThen(normalize);
        Dataset<Example> train;
        Dataset<Example> valid;
        List<String> classes;
        String layout;
        Path held = heldOutFolder(root);
        if (held != null) {
            ImageFolder t = new ImageFolder(root.resolve("train"), trainTransform);
            ImageFolder v = new ImageFolder(held, evalTransform);
            if (!t.classes().equals(v.classes())) {
                throw new IllegalArgumentException("image-folder: " + held + " has the classes " + v.classes() + ", but train has " + t.classes());
            }
            train = t;
            valid = v;
            classes = t.classes();
            layout = "train/ and " + root.relativize(held) + "/";
        } else {
            ImageFolder forTraining = new ImageFolder(root, trainTransform);
            ImageFolder forEvaluation = new ImageFolder(root, evalTransform);
            int n = forTraining.size();
            int held2 = Math.max(1, (int) Math.round(n * valFraction));
            if (n - held2 < 1) {
                throw new IllegalArgumentException("image-folder: " + n + " image(s) in " + root + " leave none for training at --val-fraction " + valFraction);
            }
            int[] order = new Generator(common.seed).permutation(n);
            train = new Subset<>(forTraining, Arrays.copyOfRange(order, held2, n));
            valid = new Subset<>(forEvaluation, Arrays.copyOfRange(order, 0, held2));
            classes = forTraining.classes();
            layout = String.format(Locale.ROOT, "one folder, %.0f %% held out at random (seed %d)", 100 * valFraction, common.seed);
        }
        if (classes.size() < 2) {
            throw new IllegalArgumentException("image-folder: found only the class " + classes + " in " + root + "; a classifier needs two or more");
        }
        int epochs = common.epochs(15, 2);
        String name = pretrained != null ? pretrained + (freeze ? ", frozen" : "") + ", fine-tuned" : "ResNet-" + ResNet.depth(blocks);
        Results results = new Results("image-folder").config("data", root.toString()).config("layout", layout).config("classes", classes)
                .config("train_images", train.size()).config("valid_images", valid.size()).config("size", size).config("model", name)
                .config("augment", augment).config("epochs", epochs).config("batch_size", batch).config("lr", lr).config("seed", common.seed)
                .config("threads", common.threadsUsed()).config("device", common.device().toString());
        System.out.printf(Locale.ROOT, "%s: %d classes, %d training and %d validation images (%s)%n", root, classes.size(), train.size(),
                valid.size(), layout);
        Cortado.manualSeed(common.seed);
        Module model;
        if (pretrained != null) {
            model = FineTuning.pretrained(pretrained, weights, init, classes.size(), freeze);
            results.config("pretrained", init != null ? init.toString() : weights.toString()).config("freeze", freeze);
        } else {
            model = new ResNet(blocks, 3, classes.size(), true);
            if (init != null) {
                Checkpoints.load(model, init);
                results.config("init", init.toString());
            }
        }
        Summary summary = Summary.of(model, 3, size, size);
        model.to(common.device());
        SGD optimizer = new SGD(FineTuning.trainable(model), lr, 0.9, 0, 5e-4, false);
        DataLoader trainLoader = new DataLoader(train, DataLoader.Options.batch(batch).shuffle(true).workers(2).seed(common.seed));
        DataLoader validLoader = new DataLoader(valid, DataLoader.Options.batch(batch).workers(2));
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, epochs * trainLoader.length(), 0);
        Fit.History h = Fit.run(name, model, trainLoader, validLoader, "valid", optimizer, loss -> schedule.step(), epochs, Long.MAX_VALUE,
                classes.size(), common.device(), results);
        Path out = common.out();
        Checkpoints.save(model, out.resolve("model.pt"));
        Evaluation last = h.last();
        Pictures.confusion(out.resolve("confusion.png"), String.format(Locale.ROOT, "%s: validation confusion (%.1f%%)", name, last.accuracy()),
                last.confusion(), classes);
        results.metrics(name).put("confusion", List.of(last.confusion()));
        Plots.lines(out.resolve("loss.png"), name + ": training and validation loss", "epoch", "cross-entropy",
                List.of(new Plots.Series("train", h.trainLoss()), new Plots.Series("validation", h.heldOutLoss())));
        Plots.lines(out.resolve("accuracy.png"), name + ": accuracy", "epoch", "accuracy (%)",
                List.of(new Plots.Series("train", h.trainAccuracy()), new Plots.Series("validation", h.heldOutAccuracy())));
        Report report = new Report(name + " on " + root.getFileName());
        report.text(String.format(Locale.ROOT, "%d classes, %d training and %d validation images (%s), resized and cropped to %d×%d; "
                + "%d epoch(s), batch %d, SGD lr %s with momentum 0.9, weight decay 5e-4 and a cosine schedule. Final validation accuracy: "
                + "%.1f %%.", classes.size(), train.size(), valid.size(), layout, size, size, epochs, batch, Report.num(lr, 4), last.accuracy()));
        report.text(pretrained != null
                ? "The fine-tuned weights are in model.pt, in torch.save's format with torchvision's state-dict keys: they load into "
                        + "torchvision's " + pretrained + " whose last layer has " + classes.size() + " outputs."
                : "The trained weights are in model.pt, in torch.save's format with PyTorch's state-dict keys: `--init model.pt` "
                        + "continues from them, and `model.load_state_dict(torch.load(\"model.pt\"))` loads them into the same ResNet in PyTorch.");
        report.heading("Model").code(summary.toString());
        report.heading("Per-class report (validation)").table(Evaluation.CLASS_REPORT_HEADERS, last.classReport(classes))
                .image("confusion matrix", "confusion.png").image("loss curves", "loss.png").image("accuracy", "accuracy.png");
        results.write(out);
        String written = report.write(out);
        System.out.println("\nresults.json, " + written + ", model.pt in " + out);
        return 0;
    }

    /** data/val, data/valid or data/test when data/train exists beside it; null for a single folder of classes. */
    private static Path heldOutFolder(Path root) {
        if (!Files.isDirectory(root.resolve("train"))) {
            return null;
        }
        for (String name : List.of("val", "valid", "test")) {
            if (Files.isDirectory(root.resolve(name))) {
                return root.resolve(name);
            }
        }
        throw new IllegalArgumentException("image-folder: " + root + " has a train folder but no val, valid or test folder beside it");
    }

    /** The 8-bit augmentation of --augment, applied to the decoded image as torchvision requires. */
    static Transform<Image, Image> augmentation(String name) {
        return switch (name) {
            case "flip" -> image -> image;
            case "trivial" -> AutoAugment.trivialAugmentWide(31);
            case "rand" -> AutoAugment.randAugment(2, 9, 31);
            case "auto-imagenet" -> AutoAugment.autoAugment(AutoAugment.Policy.IMAGENET);
            case "auto-cifar10" -> AutoAugment.autoAugment(AutoAugment.Policy.CIFAR10);
            case "auto-svhn" -> AutoAugment.autoAugment(AutoAugment.Policy.SVHN);
            case "augmix" -> AutoAugment.augMix();
            default -> throw new IllegalArgumentException("image-folder: --augment must be flip, trivial, rand, auto-imagenet, auto-cifar10, "
                    + "auto-svhn or augmix, got \"" + name + "\"");
        };
    }
}
