package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.Sigmoid;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code RegNet}: a 3×3 stride-2 stem of 32 channels, four stages
 * ({@code trunk_output.block1..4}) of residual bottleneck blocks (1×1, grouped 3×3, optional
 * squeeze-excitation, 1×1) whose widths and depths follow the design space's quantised linear
 * rule ({@link BlockParams}), global average pooling and {@code fc}. The X models have no
 * squeeze-excitation; the Y models have it with a ratio of 0.25.
 */
public final class RegNet extends FcClassifier {
    private final Sequential stem;
    private final Sequential trunkOutput;
    private final AdaptiveAvgPool2d avgpool;

    public RegNet(BlockParams params, int numClasses) {
        PooledClassifier.checkClasses("RegNet", numClasses);
        int width = 32;
        stem = register("stem", Layers.convNormActivation(3, width, 3, 2, 1, 1, 1e-5, 0.1, ReLU::new));
        Sequential trunk = new Sequential();
        for (int s = 0; s < params.depths().length; s++) {
            Sequential stage = new Sequential();
            int out = params.widths()[s];
            for (int i = 0; i < params.depths()[s]; i++) {
                stage.add("block" + (s + 1) + "-" + i, new ResBottleneckBlock(i == 0 ? width : out, out, i == 0 ? 2 : 1,
                        params.groupWidths()[s], params.seRatio()));
            }
            trunk.add("block" + (s + 1), stage);
            width = out;
        }
        trunkOutput = register("trunk_output", trunk);
        avgpool = register("avgpool", new AdaptiveAvgPool2d(1));
        registerHead("fc", new Linear(width, numClasses));
        // torchvision's: convolutions N(0, 2 / (k² · out channels)), which is Kaiming normal with
        // fan out; batch norms 1 and 0; fc N(0, 0.01²) with bias 0.
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    Init.kaimingNormal_(c.weight, 0, Init.FanMode.FAN_OUT, "relu");
                } else if (m instanceof BatchNorm2d b) {
                    Init.ones_(b.weight);
                    Init.zeros_(b.bias);
                } else if (m instanceof Linear l) {
                    Init.normal_(l.weight, 0, 0.01);
                    Init.zeros_(l.bias);
                }
            }
        }
    }

    /**
     * The per-stage settings of one RegNet: depths, output widths and group widths of the four
     * (or so) stages, and the squeeze-excitation ratio (0 for none); every stage starts with stride
     * 2 and has bottleneck ratio 1.
     */
    public record BlockParams(int[] depths, int[] widths, int[] groupWidths, double seRatio) {
        /**
         * {@code BlockParams.from_init_params}: block i's width is w0 + wa·i, snapped to
         * w0·wm^k for the nearest integer k and rounded to a multiple of 8; consecutive blocks of
         * one width form a stage; then each width becomes a multiple of its group width. Worked in
         * float32, as torchvision's tensors are, so that the rounding lands where it lands there.
         */
        public static BlockParams fromInitParams(int depth, int w0, double wa, double wm, int groupWidth, double seRatio) {
            if (depth < 1 || wa < 0 || w0 <= 0 || wm <= 1 || w0 % 8 != 0) {
                throw new IllegalArgumentException("RegNet: invalid settings depth " + depth + ", w_0 " + w0 + ", w_a " + wa + ", w_m " + wm
                        + " (depth ≥ 1, w_a ≥ 0, w_0 a positive multiple of 8, w_m > 1)");
            }
            if (groupWidth < 1) {
                throw new IllegalArgumentException("RegNet: group_width must be positive, got " + groupWidth);
            }
            float logWm = (float) Math.log(wm);
            int[] block = new int[depth];
            for (int i = 0; i < depth; i++) {
                float cont = (float) i * (float) wa + w0;
                float capacity = (float) Math.rint((float) Math.log(cont / w0) / logWm);
                float snapped = w0 * (float) Math.pow((float) wm, capacity);
                block[i] = (int) Math.rint(snapped / 8) * 8;
            }
            List<Integer> widths = new ArrayList<>();
            List<Integer> depths = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                if (i == 0 || block[i] != block[i - 1]) {
                    widths.add(block[i]);
                    depths.add(0);
                }
                depths.set(depths.size() - 1, depths.get(depths.size() - 1) + 1);
            }
            int stages = widths.size();
            int[] w = new int[stages];
            int[] g = new int[stages];
            for (int s = 0; s < stages; s++) {
                g[s] = Math.min(groupWidth, widths.get(s));
                w[s] = Layers.makeDivisible(widths.get(s), g[s]);
            }
            return new BlockParams(depths.stream().mapToInt(Integer::intValue).toArray(), w, g, seRatio);
        }
    }

    /** Depth, w_0, w_a, w_m, group width and squeeze-excitation ratio of each builder, as torchvision's. */
    private static final Map<String, double[]> DESIGNS = Map.ofEntries(
            Map.entry("regnet_y_400mf", new double[] {16, 48, 27.89, 2.09, 8, 0.25}),
            Map.entry("regnet_y_800mf", new double[] {14, 56, 38.84, 2.4, 16, 0.25}),
            Map.entry("regnet_y_1_6gf", new double[] {27, 48, 20.71, 2.65, 24, 0.25}),
            Map.entry("regnet_y_3_2gf", new double[] {21, 80, 42.63, 2.66, 24, 0.25}),
            Map.entry("regnet_y_8gf", new double[] {17, 192, 76.82, 2.19, 56, 0.25}),
            Map.entry("regnet_y_16gf", new double[] {18, 200, 106.23, 2.48, 112, 0.25}),
            Map.entry("regnet_y_32gf", new double[] {20, 232, 115.89, 2.53, 232, 0.25}),
            Map.entry("regnet_y_128gf", new double[] {27, 456, 160.83, 2.52, 264, 0.25}),
            Map.entry("regnet_x_400mf", new double[] {22, 24, 24.48, 2.54, 16, 0}),
            Map.entry("regnet_x_800mf", new double[] {16, 56, 35.73, 2.28, 16, 0}),
            Map.entry("regnet_x_1_6gf", new double[] {18, 80, 34.01, 2.25, 24, 0}),
            Map.entry("regnet_x_3_2gf", new double[] {25, 88, 26.31, 2.25, 48, 0}),
            Map.entry("regnet_x_8gf", new double[] {23, 80, 49.56, 2.88, 120, 0}),
            Map.entry("regnet_x_16gf", new double[] {22, 216, 55.59, 2.1, 128, 0}),
            Map.entry("regnet_x_32gf", new double[] {23, 320, 69.86, 2.0, 168, 0}));

    /**
     * The stage settings of a torchvision builder ({@code "regnet_y_400mf"}), for the same design
     * with another number of classes: {@code new RegNet(RegNet.blockParams("regnet_y_400mf"), 10)}.
     */
    public static BlockParams blockParams(String builder) {
        double[] d = DESIGNS.get(builder);
        if (d == null) {
            throw new IllegalArgumentException("RegNet: unknown builder \"" + builder + "\"; there are " + new java.util.TreeSet<>(DESIGNS.keySet()));
        }
        return BlockParams.fromInitParams((int) d[0], (int) d[1], d[2], d[3], (int) d[4], d[5]);
    }

    public static RegNet regnet_y_400mf() {
        return new RegNet(blockParams("regnet_y_400mf"), 1000);
    }

    public static RegNet regnet_y_800mf() {
        return new RegNet(blockParams("regnet_y_800mf"), 1000);
    }

    public static RegNet regnet_y_1_6gf() {
        return new RegNet(blockParams("regnet_y_1_6gf"), 1000);
    }

    public static RegNet regnet_y_3_2gf() {
        return new RegNet(blockParams("regnet_y_3_2gf"), 1000);
    }

    public static RegNet regnet_y_8gf() {
        return new RegNet(blockParams("regnet_y_8gf"), 1000);
    }

    public static RegNet regnet_y_16gf() {
        return new RegNet(blockParams("regnet_y_16gf"), 1000);
    }

    public static RegNet regnet_y_32gf() {
        return new RegNet(blockParams("regnet_y_32gf"), 1000);
    }

    public static RegNet regnet_y_128gf() {
        return new RegNet(blockParams("regnet_y_128gf"), 1000);
    }

    public static RegNet regnet_x_400mf() {
        return new RegNet(blockParams("regnet_x_400mf"), 1000);
    }

    public static RegNet regnet_x_800mf() {
        return new RegNet(blockParams("regnet_x_800mf"), 1000);
    }

    public static RegNet regnet_x_1_6gf() {
        return new RegNet(blockParams("regnet_x_1_6gf"), 1000);
    }

    public static RegNet regnet_x_3_2gf() {
        return new RegNet(blockParams("regnet_x_3_2gf"), 1000);
    }

    public static RegNet regnet_x_8gf() {
        return new RegNet(blockParams("regnet_x_8gf"), 1000);
    }

    public static RegNet regnet_x_16gf() {
        return new RegNet(blockParams("regnet_x_16gf"), 1000);
    }

    public static RegNet regnet_x_32gf() {
        return new RegNet(blockParams("regnet_x_32gf"), 1000);
    }

    public static RegNet regnet_y_400mf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_400mf(), "regnet_y_400mf");
    }

    public static RegNet regnet_y_800mf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_800mf(), "regnet_y_800mf");
    }

    public static RegNet regnet_y_1_6gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_1_6gf(), "regnet_y_1_6gf");
    }

    public static RegNet regnet_y_3_2gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_3_2gf(), "regnet_y_3_2gf");
    }

    public static RegNet regnet_y_8gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_8gf(), "regnet_y_8gf");
    }

    public static RegNet regnet_y_16gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_16gf(), "regnet_y_16gf");
    }

    public static RegNet regnet_y_32gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_32gf(), "regnet_y_32gf");
    }

    public static RegNet regnet_y_128gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_y_128gf(), "regnet_y_128gf");
    }

    public static RegNet regnet_x_400mf(Weights weights) throws IOException {
        return weights.loadInto(regnet_x_400mf(), "regnet_x_400mf");
    }

    public static RegNet regnet_x_800mf(Weights weights) throws IOException {
        return weights.loadInto(regnet_x_800mf(), "regnet_x_800mf");
    }

    public static RegNet regnet_x_1_6gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_x_1_6gf(), "regnet_x_1_6gf");
    }

    public static RegNet regnet_x_3_2gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_x_3_2gf(), "regnet_x_3_2gf");
    }

    public static RegNet regnet_x_8gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_x_8gf(), "regnet_x_8gf");
    }

    public static RegNet regnet_x_16gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_x_16gf(), "regnet_x_16gf");
    }

    public static RegNet regnet_x_32gf(Weights weights) throws IOException {
        return weights.loadInto(regnet_x_32gf(), "regnet_x_32gf");
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch("RegNet", x);
        return headLayer().call(avgpool.call(trunkOutput.call(stem.call(x))).flatten(1));
    }


    /**
     * RegNet's {@code ResBottleneckBlock}: ReLU(proj(x) + f(x)), with {@code f} the bottleneck
     * transform ({@code a} 1×1, {@code b} grouped 3×3 with the stride, {@code se}, {@code c} 1×1
     * without activation) and {@code proj} a strided 1×1 with batch norm where the shape changes.
     */
    static final class ResBottleneckBlock extends Module {
        private final Sequential proj;
        private final Sequential f;

        ResBottleneckBlock(int in, int out, int stride, int groupWidth, double seRatio) {
            proj = in != out || stride != 1 ? register("proj", Layers.convNormActivation(in, out, 1, stride, 1, 1, 1e-5, 0.1, null)) : null;
            Sequential t = new Sequential();
            t.add("a", Layers.convNormActivation(in, out, 1, 1, 1, 1, 1e-5, 0.1, ReLU::new));
            t.add("b", Layers.convNormActivation(out, out, 3, stride, out / groupWidth, 1, 1e-5, 0.1, ReLU::new));
            if (seRatio > 0) {
                t.add("se", new SqueezeExcitation(out, (int) Math.rint(seRatio * in), ReLU::new, Sigmoid::new));
            }
            t.add("c", Layers.convNormActivation(out, out, 1, 1, 1, 1, 1e-5, 0.1, null));
            f = register("f", t);
            register("activation", new ReLU());
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = f.call(x);
            return (proj == null ? x : proj.call(x)).add(y).relu();
        }
    }
}
