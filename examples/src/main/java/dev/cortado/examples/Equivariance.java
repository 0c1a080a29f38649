package dev.cortado.examples;

import dev.cortado.autograd.GradMode;
import dev.cortado.data.Mnist;
import dev.cortado.data.Transforms;
import dev.cortado.examples.cli.CommonOptions;
import dev.cortado.examples.cli.DataSets;
import dev.cortado.examples.models.MultiLayerPerceptron;
import dev.cortado.examples.report.Pictures;
import dev.cortado.examples.report.Report;
import dev.cortado.examples.report.Results;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
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
 * Translation equivariance: an MNIST digit at 7 × 7 = 49 offsets in a 56×56 canvas goes through
 * an untrained 3-conv CNN (16, 32, 64 channels, 3×3, padding 1, ReLU, no pooling) and an
 * untrained MLP mapping the canvas to a canvas. For each offset, the equivariance error is the
 * L2 norm of f(shift(x)) − shift(f(x)) over the region away from the borders, where the shifted
 * output is defined and padding cannot reach.
 */
@Command(name = "equivariance", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shift-then-apply vs apply-then-shift for an untrained CNN and MLP on an MNIST digit.")
final class Equivariance implements Callable<Integer> {
    private static final int CANVAS = 56;
    private static final int DIGIT = 28;
    private static final int STEPS = 7;
    /** Three 3×3 convolutions see 3 pixels to each side: padding influences only that band. */
    private static final int MARGIN = 3;

    @Mixin
    CommonOptions common;

    @Option(names = "--index", defaultValue = "0", description = "Which MNIST test image to place (default: ${DEFAULT-VALUE})")
    int index;

    @Override
    public Integer call() throws IOException {
        common.start("equivariance");
        Mnist test = DataSets.mnist(common, Mnist.Kind.MNIST, false, Transforms.toTensor());
        Tensor digit = test.get(index).input().reshape(DIGIT, DIGIT);
        Cortado.manualSeed(common.seed);
        Module cnn = new Sequential(new Conv2d(1, 16, 3, ConvOptions.DEFAULT.padding(1)), new ReLU(),
                new Conv2d(16, 32, 3, ConvOptions.DEFAULT.padding(1)), new ReLU(), new Conv2d(32, 64, 3, ConvOptions.DEFAULT.padding(1)));
        Module mlp = new MultiLayerPerceptron(CANVAS * CANVAS, new int[] {512}, CANVAS * CANVAS);
        int stride = (CANVAS - DIGIT) / STEPS;
        Tensor base = place(digit, 0, 0);
        Tensor cnnBase;
        Tensor mlpBase;
        double[] cnnErr = new double[STEPS * STEPS];
        double[] mlpErr = new double[STEPS * STEPS];
        double cnnMax = 0;
        double mlpMax = 0;
        List<Pictures.Tile> tiles = new ArrayList<>();
        try (var off = GradMode.off()) {
            cnnBase = cnn.call(base.reshape(1, 1, CANVAS, CANVAS));
            mlpBase = mlp.call(base.reshape(1, CANVAS * CANVAS)).reshape(1, 1, CANVAS, CANVAS);
            for (int i = 0; i < STEPS; i++) {
                for (int j = 0; j < STEPS; j++) {
                    int dy = i * stride;
                    int dx = j * stride;
                    Tensor x = place(digit, dy, dx);
                    Tensor c = cnn.call(x.reshape(1, 1, CANVAS, CANVAS));
                    Tensor m = mlp.call(x.reshape(1, CANVAS * CANVAS)).reshape(1, 1, CANVAS, CANVAS);
                    cnnErr[i * STEPS + j] = error(c, cnnBase, dy, dx);
                    mlpErr[i * STEPS + j] = error(m, mlpBase, dy, dx);
                    cnnMax = Math.max(cnnMax, c.abs().max().item());
                    mlpMax = Math.max(mlpMax, m.abs().max().item());
                    if (i == j && i % 3 == 0) {
                        tiles.add(new Pictures.Tile("input +" + dy + "," + dx, x.toFloatArray(), CANVAS, CANVAS));
                        tiles.add(new Pictures.Tile("CNN ch 0", c.select(1, 0).contiguous().toFloatArray(), CANVAS, CANVAS));
                        tiles.add(new Pictures.Tile("MLP", m.toFloatArray(), CANVAS, CANVAS));
                    }
                }
            }
        }
        double cnnMean = mean(cnnErr);
        double mlpMean = mean(mlpErr);
        System.out.printf(Locale.ROOT, "equivariance error away from the borders (mean L2 over %d offsets): CNN %.3g (max |output| %.3g), "
                + "MLP %.3g (max |output| %.3g)%n", STEPS * STEPS, cnnMean, cnnMax, mlpMean, mlpMax);
        Path out = common.out();
        Pictures.grid(out.resolve("equivariance.png"), "Inputs at three offsets and the untrained CNN's and MLP's outputs", tiles, 3, 168, false);
        Results results = new Results("equivariance").config("canvas", CANVAS).config("offsets", STEPS * STEPS).config("offset_stride", stride)
                .config("margin", MARGIN).config("mnist_test_index", index).config("seed", common.seed);
        results.metrics("CNN").put("equivariance_error", cnnErr).put("mean_equivariance_error", cnnMean).put("max_abs_output", cnnMax);
        results.metrics("MLP").put("equivariance_error", mlpErr).put("mean_equivariance_error", mlpMean).put("max_abs_output", mlpMax);
        String written = new Report("Translation equivariance of an untrained CNN and MLP")
                .text(String.format(Locale.ROOT, "MNIST test digit %d placed at %d offsets (steps of %d pixels) in a %d×%d canvas. Error: L2 norm "
                        + "of f(shift(x)) − shift(f(x)) over the region at least %d pixels from the borders, mean over offsets. PyTorch here: "
                        + "CNN 0.0, MLP 22.0; required CNN ≤ 1e-4 × max output, MLP ≥ 1.", index, STEPS * STEPS, stride, CANVAS, CANVAS, MARGIN))
                .table(List.of("model", "mean equivariance error", "max |output|", "target"), List.of(
                        List.of("3-conv CNN", String.format(Locale.ROOT, "%.3g", cnnMean), Report.num(cnnMax, 3),
                                common.verdict(cnnMean <= 1e-4 * cnnMax)),
                        List.of("MLP 3136-512-3136", String.format(Locale.ROOT, "%.3g", mlpMean), Report.num(mlpMax, 3),
                                common.verdict(mlpMean >= 1))))
                .image("inputs and outputs", "equivariance.png").write(out);
        results.write(out);
        System.out.println("results.json, " + written + " in " + out);
        return 0;
    }

    /** The digit pasted into an empty canvas with its top-left corner at (dy, dx). */
    private static Tensor place(Tensor digit, int dy, int dx) {
        return digit.pad(new int[] {dx, CANVAS - DIGIT - dx, dy, CANVAS - DIGIT - dy});
    }

    /** L2 norm of shifted(out) − base shifted by (dy, dx), over the rows and columns both define away from the borders. */
    private static double error(Tensor shiftedOut, Tensor base, int dy, int dx) {
        int h = CANVAS - dy - 2 * MARGIN;
        int w = CANVAS - dx - 2 * MARGIN;
        Tensor a = shiftedOut.narrow(2, dy + MARGIN, h).narrow(3, dx + MARGIN, w);
        Tensor b = base.narrow(2, MARGIN, h).narrow(3, MARGIN, w);
        return a.sub(b).square().sum().sqrt().item();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
