package dev.cortado.examples;

import dev.cortado.autograd.GradMode;
import dev.cortado.data.Image;
import dev.cortado.data.ImageFiles;
import dev.cortado.data.Transform;
import dev.cortado.data.Transforms;
import dev.cortado.data.VisionUtils;
import dev.cortado.models.Models;
import dev.cortado.models.Weights;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.ValuesIndices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Classifies photos with one of torchvision's ImageNet models and its pretrained weights, as a
 * notebook's {@code model = resnet18(weights=...); model.eval(); model(preprocess(img)).softmax(1).topk(5)}.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Top ImageNet classes of photos with a pretrained torchvision model (weights from torch.hub's cache, or downloaded).")
final class Classify implements Runnable {
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG, JPEG, BMP, GIF or PPM files")
    List<Path> images;

    @Option(names = "--model", defaultValue = "resnet18", description = "A torchvision builder name: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--weights", description = "Load this state-dict file (.pth, .pt or .safetensors) instead of the model's default weights")
    Path weightsFile;

    @Option(names = "--weights-name", paramLabel = "NAME",
            description = "Which of the model's published weights, and so which preprocessing: IMAGENET1K_V1, IMAGENET1K_V2, "
                    + "IMAGENET1K_SWAG_E2E_V1, ... (default: the model's DEFAULT); with --weights, the file's")
    String weightsName;

    @Option(names = "--top", defaultValue = "5", description = "Classes to show per image (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--cam", paramLabel = "DIR",
            description = "Also write each image's Grad-CAM for its top class (where the network looked) to DIR/<image>-cam.png")
    Path camDir;

    /** The model's published weights named {@code name}, with or without the builder's prefix. */
    static Weights named(String model, String name) {
        List<Weights> published = Models.getModelWeights(model);
        String full = (model + "_" + name).toUpperCase(Locale.ROOT);
        for (Weights w : published) {
            if (w.name().equals(name) || w.name().equals(full)) {
                return w;
            }
        }
        throw new IllegalArgumentException("classify: " + model + " has no weights named " + name + "; it has "
                + published.stream().map(w -> w.name().substring(model.length() + 1)).toList());
    }

    /** The registry's names, for the help text. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Models.listModels().iterator();
        }
    }

    @Override
    public void run() {
        if (top < 1 || top > 1000) {
            throw new IllegalArgumentException("--top must be between 1 and 1000, got " + top);
        }
        for (Path p : images) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no image file " + p.toAbsolutePath());
            }
        }
        Weights weights = weightsName == null ? Weights.defaultFor(model) : named(model, weightsName);
        try {
            Module net = weightsFile != null ? Models.getModel(model, weightsFile) : Models.getModel(model, weights);
            net.eval();
            Transform<Image, Tensor> preprocess = Transforms.imageClassification(weights.resizeSize(), weights.cropSize(),
                    weights.interpolation(), weights.mean(), weights.std());
            List<String> names = weights.categories();
            // The crop the model sees, before normalisation: what the Grad-CAM picture is laid over.
            Transform<Image, Tensor> view = Transforms.toTensor().andThen(Transforms.resize(weights.resizeSize(), weights.interpolation()))
                    .andThen(Transforms.centerCrop(weights.cropSize()));
            if (camDir != null) {
                Files.createDirectories(camDir);
            }
            System.out.printf(Locale.ROOT, "classify: %s, %s%n", model, weightsFile != null ? weightsFile : weights);
            for (Path p : images) {
                Tensor x = preprocess.apply(ImageFiles.readRgb(p)).unsqueeze(0);
                ValuesIndices best;
                try (var off = GradMode.off()) {
                    best = net.call(x).softmax(1).topk(top, 1, true);
                }
                float[] probs = best.values().toFloatArray();
                long[] classes = best.indices().toLongArray();
                System.out.println(p.getFileName() + ":");
                for (int i = 0; i < top; i++) {
                    System.out.printf(Locale.ROOT, "  %6.2f%%  %s%n", 100 * probs[i], names.get((int) classes[i]));
                }
                if (camDir != null) {
                    Tensor heat = GradCam.map(net, x, (int) classes[0]);
                    String stem = p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                    Path file = camDir.resolve(stem + "-cam.png");
                    VisionUtils.saveImage(GradCam.overlay(view.apply(ImageFiles.readRgb(p)), heat), file);
                    System.out.println("  Grad-CAM for " + names.get((int) classes[0]) + ": " + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
