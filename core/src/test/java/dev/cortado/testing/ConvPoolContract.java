package dev.cortado.testing;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Normalization;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.cortado.testing.Inputs.assertGradParity;
import static dev.cortado.testing.Inputs.assertParity;
import static dev.cortado.testing.Inputs.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Convolution, pooling and batch norm, forward and backward passes, on every backend against the
 * reference: odd sizes, strides, padding, dilation, groups and batch sizes on both sides of
 * the thread count (which switches the CPU between per-sample and in-GEMM parallelism).
 */
public abstract class ConvPoolContract {
    private static final Device REF = ReferenceBackend.DEVICE;

    protected abstract Device device();

    /** name, input shape, weight shape, options. */
    record Case(String name, int[] x, int[] w, ConvOptions o) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> convCases() {
        ConvOptions d = ConvOptions.DEFAULT;
        return Stream.of(
                new Case("3x3 pad 1", new int[] {2, 3, 9, 11}, new int[] {5, 3, 3, 3}, d.padding(1)),
                new Case("single sample", new int[] {1, 4, 12, 12}, new int[] {8, 4, 3, 3}, d.padding(1)),
                new Case("many samples", new int[] {9, 2, 6, 5}, new int[] {3, 2, 3, 2}, d),
                new Case("uneven sample batches", new int[] {13, 3, 10, 10}, new int[] {4, 3, 3, 3}, d.padding(1)),
                new Case("1x1 in sample batches", new int[] {7, 5, 9, 9}, new int[] {3, 5, 1, 1}, d),
                new Case("stride 2", new int[] {3, 3, 13, 10}, new int[] {4, 3, 5, 5}, d.stride(2).padding(2)),
                new Case("uneven stride", new int[] {2, 2, 11, 9}, new int[] {3, 2, 3, 3}, d.stride(2, 3).padding(0, 1)),
                new Case("dilation", new int[] {2, 2, 12, 12}, new int[] {3, 2, 3, 3}, d.dilation(2).padding(2)),
                new Case("groups", new int[] {2, 6, 8, 8}, new int[] {9, 2, 3, 3}, d.groups(3).padding(1)),
                new Case("depthwise", new int[] {3, 4, 7, 7}, new int[] {4, 1, 3, 3}, d.groups(4).padding(1)),
                new Case("depthwise, wide rows", new int[] {2, 3, 5, 40}, new int[] {3, 1, 3, 3}, d.groups(3).padding(1)),
                new Case("depthwise 5x5, stride 2", new int[] {2, 6, 9, 37}, new int[] {6, 1, 5, 5}, d.groups(6).stride(2).padding(2)),
                new Case("depthwise, dilated, uneven stride", new int[] {1, 4, 12, 19}, new int[] {4, 1, 3, 2},
                        d.groups(4).stride(1, 2).dilation(2, 1).padding(2, 1)),
                new Case("depthwise 5x3, narrow rows, fewer output rows", new int[] {2, 3, 9, 13}, new int[] {3, 1, 5, 3}, d.groups(3).padding(1)),
                new Case("depthwise, narrow rows, dilated columns", new int[] {1, 2, 6, 11}, new int[] {2, 1, 3, 3},
                        d.groups(2).dilation(1, 2).padding(1, 2)),
                new Case("depthwise, kernel the size of the input", new int[] {2, 2, 4, 3}, new int[] {2, 1, 4, 3}, d.groups(2)),
                new Case("1x1", new int[] {4, 8, 5, 7}, new int[] {6, 8, 1, 1}, d),
                new Case("1x1 stride 2", new int[] {4, 8, 5, 7}, new int[] {6, 8, 1, 1}, d.stride(2)),
                new Case("large k", new int[] {2, 16, 14, 14}, new int[] {40, 16, 3, 3}, d.padding(1)),
                new Case("many input channels on a small plane", new int[] {3, 120, 6, 5}, new int[] {4, 120, 3, 3}, d.padding(1)),
                new Case("many input channels, stride 2", new int[] {2, 128, 7, 7}, new int[] {3, 128, 3, 3}, d.stride(2).padding(1)),
                new Case("many channels both ways, odd plane", new int[] {6, 128, 5, 5}, new int[] {130, 128, 3, 3}, d.padding(1)),
                new Case("many channels, 256 filters", new int[] {3, 128, 5, 5}, new int[] {256, 128, 3, 3}, d.padding(1)),
                new Case("same even kernel", new int[] {2, 2, 7, 8}, new int[] {3, 2, 4, 2}, d.padding("same")),
                new Case("reflect", new int[] {2, 3, 8, 8}, new int[] {2, 3, 3, 3}, d.padding(1).paddingMode(PadMode.REFLECT)),
                new Case("few channels, wide rows", new int[] {3, 1, 11, 37}, new int[] {6, 1, 7, 7}, d.padding(3)),
                new Case("edge net layer", new int[] {2, 3, 13, 13}, new int[] {3, 3, 7, 7}, d.padding(3).paddingMode(PadMode.REFLECT)),
                new Case("padding beyond the kernel", new int[] {2, 2, 5, 6}, new int[] {3, 2, 3, 3}, d.padding(3)),
                new Case("sixteen filters on one channel", new int[] {5, 1, 9, 16}, new int[] {16, 1, 3, 3}, d.padding(1)),
                new Case("replicate", new int[] {2, 3, 7, 8}, new int[] {2, 3, 3, 3}, d.padding(1, 2).paddingMode(PadMode.REPLICATE)),
                new Case("circular, stride 2", new int[] {2, 2, 8, 9}, new int[] {3, 2, 3, 3}, d.stride(2).padding(2, 1).paddingMode(PadMode.CIRCULAR)),
                new Case("reflect, stride 2", new int[] {2, 2, 9, 8}, new int[] {3, 2, 3, 3}, d.stride(2).padding(1, 2).paddingMode(PadMode.REFLECT)),
                new Case("dilated groups", new int[] {2, 4, 11, 10}, new int[] {6, 2, 3, 2}, d.groups(2).dilation(2, 3).padding(1)),
                new Case("same, dilated", new int[] {2, 3, 9, 9}, new int[] {2, 3, 3, 4}, d.dilation(2).padding("same")),
                new Case("kernel as wide as the padded input", new int[] {3, 2, 4, 3}, new int[] {2, 2, 6, 5}, d.padding(1)));
    }

    @ParameterizedTest
    @MethodSource("convCases")
    void conv2dForwardAndBackward(Case c) {
        Tensor x = randn(1, REF, c.x());
        Tensor w = randn(2, REF, c.w());
        Tensor b = randn(3, REF, c.w()[0]);
        double tol = 2e-5 * Math.sqrt(c.w()[1] * c.w()[2] * c.w()[3]);
        assertGradParity("conv2d " + c.name(), device(), tol, in -> Convolution.conv2d(in[0], in[1], in[2], c.o()), x, w, b);
    }

    /**
     * conv_transpose2d: the backend's input-gradient kernel run as a layer, its gradients by
     * conv2d and the weight-gradient kernel with roles exchanged, on strides, groups, dilation and
     * output padding (also one at least the stride, where zero rows are appended).
     */
    @Test
    void transposedConvolutionForwardAndBackward() {
        ConvOptions d = ConvOptions.DEFAULT;
        Object[][] cases = {
            {"3x3", new int[] {2, 3, 5, 6}, new int[] {3, 4, 3, 3}, d, 0, 0},
            {"stride 2, output padding 1", new int[] {2, 4, 4, 5}, new int[] {4, 3, 4, 4}, d.stride(2).padding(1), 1, 1},
            {"groups, uneven stride", new int[] {3, 4, 5, 3}, new int[] {4, 2, 3, 2}, d.groups(2).stride(2, 3).padding(1, 0), 1, 2},
            {"dilation, output padding at stride 1", new int[] {1, 2, 4, 3}, new int[] {2, 2, 2, 3}, d.dilation(2).padding(0, 1), 1, 1},
        };
        for (Object[] c : cases) {
            int[] w = (int[]) c[2];
            ConvOptions o = (ConvOptions) c[3];
            Tensor x = randn(7, REF, (int[]) c[1]);
            Tensor weight = randn(8, REF, w);
            Tensor b = randn(9, REF, w[1] * o.groups());
            double tol = 2e-5 * Math.sqrt(w[0] * w[2] * w[3]);
            assertGradParity("conv_transpose2d " + c[0], device(), tol,
                    in -> dev.cortado.tensor.TransposedConvolution.convTranspose2d(in[0], in[1], in[2], o, (int) c[4], (int) c[5]), x, weight, b);
        }
    }

    @Test
    void conv2dOnAnInputViewAndWithoutBias() {
        Tensor x = randn(4, REF, 3, 2, 10, 10).transpose(2, 3);
        Tensor w = randn(5, REF, 4, 2, 3, 3);
        assertParity("conv2d of transposed input", device(), 1e-4, in -> Convolution.conv2d(in[0], in[1], null, ConvOptions.DEFAULT), x, w);
    }

    /**
     * Seeded random convolutions: groups, strides, dilations, padding in every mode or "same",
     * with and without bias, forward and both gradients; then max pooling of their input's ReLU
     * (the fused backward) and average pooling, each with random options. Options a backend
     * refuses must be refused by the reference too.
     */
    @Test
    void randomConvolutionsAndPoolsMatchTheReference() {
        java.util.Random r = new java.util.Random(20261202);
        for (int round = 0; round < 40; round++) {
            int g = 1 + r.nextInt(3);
            int[] xs = {1 + r.nextInt(3), g * (1 + r.nextInt(3)), 1 + r.nextInt(10), 1 + r.nextInt(10)};
            int[] ws = {g * (1 + r.nextInt(3)), xs[1] / g, 1 + r.nextInt(4), 1 + r.nextInt(4)};
            ConvOptions o = ConvOptions.DEFAULT.stride(1 + r.nextInt(2), 1 + r.nextInt(3)).padding(r.nextInt(3), r.nextInt(3))
                    .dilation(1 + r.nextInt(2), 1 + r.nextInt(2)).groups(g);
            int mode = r.nextInt(5);
            o = mode == 4 ? ConvOptions.DEFAULT.padding("same").dilation(o.dilationH(), o.dilationW()).groups(g)
                    : o.paddingMode(PadMode.values()[mode]);
            ConvOptions opts = o;
            Tensor x = randn(100 + round, REF, xs);
            Tensor w = randn(200 + round, REF, ws);
            Tensor b = r.nextBoolean() ? randn(300 + round, REF, ws[0]) : null;
            String what = "conv2d x" + java.util.Arrays.toString(xs) + " w" + java.util.Arrays.toString(ws) + " " + opts;
            boolean refRuns = runs(() -> Convolution.conv2d(x, w, b, opts));
            boolean runs = runs(() -> Convolution.conv2d(x.to(device()), w.to(device()), b == null ? null : b.to(device()), opts));
            assertEquals(refRuns, runs, what + ": refused by one backend only");
            if (runs) {
                double tol = 2e-5 * Math.sqrt(ws[1] * ws[2] * ws[3]);
                if (b == null) {
                    assertGradParity(what, device(), tol, in -> Convolution.conv2d(in[0], in[1], null, opts), x, w);
                } else {
                    assertGradParity(what, device(), tol, in -> Convolution.conv2d(in[0], in[1], in[2], opts), x, w, b);
                }
            }
            int k = 1 + r.nextInt(3);
            PoolOptions max = PoolOptions.of(k).stride(1 + r.nextInt(3)).padding(r.nextInt(k / 2 + 1)).dilation(1 + r.nextInt(2))
                    .ceilMode(r.nextBoolean());
            PoolOptions avg = PoolOptions.of(k).stride(1 + r.nextInt(3)).padding(r.nextInt(k / 2 + 1)).ceilMode(r.nextBoolean())
                    .countIncludePad(r.nextBoolean());
            if (runs(() -> Pooling.maxPool2d(x, max))) {
                assertGradParity("relu, max_pool2d " + max + " of " + java.util.Arrays.toString(xs), device(), 1e-6,
                        in -> Pooling.maxPool2d(in[0].relu(), max), x);
            }
            if (runs(() -> Pooling.avgPool2d(x, avg))) {
                assertGradParity("avg_pool2d " + avg + " of " + java.util.Arrays.toString(xs), device(), 1e-5,
                        in -> Pooling.avgPool2d(in[0], avg), x);
            }
        }
    }

    /** Whether op runs, or is refused with an IllegalArgumentException (an option that does not fit the input). */
    private static boolean runs(Runnable op) {
        try {
            op.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Stream<PoolOptions> pools() {
        return Stream.of(PoolOptions.of(2), PoolOptions.of(2).ceilMode(true), PoolOptions.of(3).stride(2).padding(1), PoolOptions.of(3, 2).stride(1, 2),
                PoolOptions.of(3).stride(2).ceilMode(true), PoolOptions.of(2).stride(1).padding(1).countIncludePad(false),
                PoolOptions.of(3).stride(2).padding(1).ceilMode(true).countIncludePad(false));
    }

    @ParameterizedTest
    @MethodSource("pools")
    void poolingForwardAndBackward(PoolOptions o) {
        Tensor x = randn(6, REF, 3, 5, 9, 8);
        // Overlapping windows add float32 gradients where the reference adds doubles.
        assertGradParity("avg_pool2d " + o, device(), 1e-5, in -> Pooling.avgPool2d(in[0], o), x);
        assertGradParity("max_pool2d " + o, device(), 1e-6, in -> Pooling.maxPool2d(in[0], o), x);
        assertParity("max_pool2d indices " + o, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], o).indices(), x);
    }

    @ParameterizedTest
    @MethodSource("pools")
    void maxPoolOfAReluHandsTheGradientThroughIt(PoolOptions o) {
        Tensor x = randn(7, REF, 3, 5, 9, 8);
        assertGradParity("max_pool2d of relu " + o, device(), 1e-6, in -> Pooling.maxPool2d(in[0].relu(), o), x);
        // The same on this device with ReLU's backward as a step of its own (mul(1) between them).
        Tensor fused = x.to(device()).requiresGrad_(true);
        Tensor y = Pooling.maxPool2d(fused.relu(), o);
        Tensor g = randn(8, device(), y.shape());
        y.backward(g, false);
        Tensor twoSteps = x.to(device()).requiresGrad_(true);
        Pooling.maxPool2d(twoSteps.relu().mul(1), o).backward(g, false);
        org.junit.jupiter.api.Assertions.assertArrayEquals(twoSteps.grad().toFloatArray(), fused.grad().toFloatArray(), 0f, o.toString());
    }

    /**
     * Kernel 2 with dilation 3 and padding 1 over rows of two pixels steps over them (taps at -1
     * and 2): every window reaches no pixel, so -inf at index -1, and no gradient reaches the
     * input, with or without a ReLU before the pool. Several planes, so that an index of -1 taken
     * as an offset would land in the plane before.
     */
    @Test
    void maxPoolWindowsThatReachNoPixelGiveMinusInfinityAndNoGradient() {
        PoolOptions o = PoolOptions.of(2).stride(1).padding(1).dilation(3, 1);
        Tensor x = randn(16, REF, 2, 3, 2, 5);
        assertParity("max_pool2d values " + o, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], o).values(), x);
        assertParity("max_pool2d indices " + o, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], o).indices(), x);
        Tensor y = Pooling.maxPool2d(x, o);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 3, 1, 6}, y.shape());
        org.junit.jupiter.api.Assertions.assertEquals(Float.NEGATIVE_INFINITY, y.max().item());
        for (boolean relu : new boolean[] {false, true}) {
            Tensor in = x.to(device()).requiresGrad_(true);
            Tensor pooled = Pooling.maxPool2d(relu ? in.relu() : in, o);
            pooled.backward(Tensor.ones(pooled.shape(), DType.FLOAT32, device()), false);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[x.numel()], in.grad().toFloatArray(), 0f, "relu " + relu);
        }
    }

    /**
     * Where windows overlap (3×3 at stride 1: a local maximum is the maximum of up to nine of
     * them), each input element's gradient is the float32 sum of its outputs' gradients added in
     * the outputs' order, with and without a ReLU before the pool: the same bits on every backend,
     * whatever order its threads run in, as PyTorch's max pooling backward is deterministic. A few
     * NaNs win their windows, and through the ReLU their gradient passes, as PyTorch's
     * threshold_backward lets it (NaN <= 0 is false).
     */
    @Test
    void maxPoolGradientsAddInTheOutputsOrder() {
        for (PoolOptions o : List.of(PoolOptions.of(3).stride(1).padding(1), PoolOptions.of(3, 2).stride(1, 2).dilation(2, 1).padding(1, 0))) {
            for (boolean relu : new boolean[] {false, true}) {
                float[] values = randn(17, REF, 2, 3, 9, 8).toFloatArray();
                values[5] = Float.NaN;
                values[200] = Float.NaN;
                Tensor x = Tensor.fromArray(values, new int[] {2, 3, 9, 8}, device()).requiresGrad_(true);
                Tensor in = relu ? x.relu() : x;
                var pooled = Pooling.maxPool2dWithIndices(in, o);
                Tensor g = randn(18, REF, pooled.values().shape()).to(device());
                pooled.values().backward(g, false);
                float[] gv = g.toFloatArray();
                float[] pv = pooled.values().toFloatArray();
                long[] iv = pooled.indices().toLongArray();
                float[] xv = x.detach().toFloatArray();
                int plane = 9 * 8;
                int outPlane = pooled.values().size(2) * pooled.values().size(3);
                float[] expected = new float[xv.length];
                for (int k = 0; k < gv.length; k++) {
                    int at = k / outPlane * plane + (int) iv[k];
                    if (!relu || !(pv[k] <= 0)) {
                        expected[at] += gv[k];
                    }
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected, x.grad().toFloatArray(), 0f, o + ", relu " + relu);
            }
        }
    }

    @Test
    void maxPoolTiesAndNaNsPickPyTorchsIndex() {
        // Rounded values tie often; NaN wins and, as in PyTorch, the last NaN of a window keeps its index.
        Tensor x = randn(15, REF, 2, 3, 8, 10).mul(2).to(DType.INT64).to(DType.FLOAT32);
        float[] v = x.toFloatArray();
        v[5] = Float.NaN;
        v[16] = Float.NaN;
        v[17] = Float.NaN;
        Tensor xn = Tensor.fromArray(v, x.shape(), REF);
        for (PoolOptions o : List.of(PoolOptions.of(2), PoolOptions.of(3).stride(2).padding(1))) {
            assertParity("max_pool2d values " + o, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], o).values(), xn);
            assertParity("max_pool2d indices " + o, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], o).indices(), xn);
        }
    }

    @Test
    void maxPool2x2OnPlanesOfManySizesMatchesTheReference() {
        // Planes of a vector of outputs or more, of a few outputs (so that a vector spans planes),
        // odd sizes whose last row or column no window reads, rounded values that tie, with NaNs,
        // and enough planes to be split between threads.
        for (int[] shape : List.of(new int[] {2, 3, 28, 28}, new int[] {1, 2, 14, 71}, new int[] {3, 1, 9, 24},
                new int[] {1, 4, 9, 2}, new int[] {2, 3, 3, 3}, new int[] {4, 50, 14, 14}, new int[] {2, 400, 6, 7})) {
            Tensor x = randn(16, REF, shape).mul(2).to(DType.INT64).to(DType.FLOAT32);
            float[] v = x.toFloatArray();
            v[3] = Float.NaN;
            v[shape[3] + 2] = Float.NaN;
            v[v.length - 40] = Float.NaN;
            Tensor xn = Tensor.fromArray(v, x.shape(), REF);
            String what = " " + java.util.Arrays.toString(shape);
            assertParity("max_pool2d values" + what, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], PoolOptions.of(2)).values(), xn);
            assertParity("max_pool2d indices" + what, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], PoolOptions.of(2)).indices(), xn);
            assertGradParity("max_pool2d" + what, device(), 1e-6, in -> Pooling.maxPool2d(in[0], PoolOptions.of(2)), randn(17, REF, shape));
        }
    }

    @Test
    void maxPoolOfAnyWindowOnWideAndNarrowPlanesMatchesTheReference() {
        // ResNet's stem pooling on rows wider than a vector, and strides, dilations, ceil mode and
        // padding on planes narrower than one; rounded values tie, NaNs and -inf (which must still
        // win a window whose other elements are padding) are sprinkled in.
        List<PoolOptions> options = List.of(PoolOptions.of(3).stride(2).padding(1), PoolOptions.of(3).stride(1).padding(1),
                PoolOptions.of(2, 3).stride(3, 2).padding(1, 1).ceilMode(true), PoolOptions.of(3).stride(2).dilation(2).padding(1),
                PoolOptions.of(5, 4).stride(1, 3).padding(2, 2).dilation(1, 2).ceilMode(true), PoolOptions.of(1).stride(2));
        for (int[] shape : List.of(new int[] {2, 3, 40, 45}, new int[] {1, 2, 7, 7}, new int[] {3, 5, 5, 9}, new int[] {2, 70, 6, 4})) {
            Tensor x = randn(18, REF, shape).mul(2).to(DType.INT64).to(DType.FLOAT32);
            float[] v = x.toFloatArray();
            for (int i = 0; i < v.length; i += 37) {
                v[i] = i % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
            }
            v[0] = Float.NEGATIVE_INFINITY;
            v[shape[3] - 1] = Float.NEGATIVE_INFINITY;
            Tensor xn = Tensor.fromArray(v, x.shape(), REF);
            for (PoolOptions o : options) {
                String what = " " + o + " of " + java.util.Arrays.toString(shape);
                assertParity("max_pool2d values" + what, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], o).values(), xn);
                assertParity("max_pool2d indices" + what, device(), 0, in -> Pooling.maxPool2dWithIndices(in[0], o).indices(), xn);
            }
        }
    }

    @Test
    void dilatedMaxPoolAndAdaptivePooling() {
        Tensor x = randn(7, REF, 2, 3, 11, 10);
        assertGradParity("max_pool2d dilated", device(), 1e-6, in -> Pooling.maxPool2d(in[0], PoolOptions.of(3).stride(2).dilation(2)), x);
        assertGradParity("adaptive 1x1", device(), 1e-5, in -> Pooling.adaptiveAvgPool2d(in[0], 1, 1), x);
        assertGradParity("adaptive even", device(), 1e-5, in -> Pooling.adaptiveAvgPool2d(in[0], 1, 5), x);
        assertGradParity("adaptive uneven", device(), 1e-5, in -> Pooling.adaptiveAvgPool2d(in[0], 4, 3), x);
        assertGradParity("adaptive max 1x1", device(), 0, in -> Pooling.adaptiveMaxPool2d(in[0], 1, 1), x);
        assertGradParity("adaptive max uneven", device(), 1e-6, in -> Pooling.adaptiveMaxPool2d(in[0], 4, 3), x);
    }

    @Test
    void secondOrderGradients() {
        ConvOptions d = ConvOptions.DEFAULT;
        Inputs.assertSecondOrderParity("conv2d pad 1", device(), 1e-4, in -> Convolution.conv2d(in[0], in[1], in[2], d.padding(1)).square(),
                randn(40, REF, 2, 3, 6, 7), randn(41, REF, 4, 3, 3, 3), randn(42, REF, 4));
        Inputs.assertSecondOrderParity("conv2d strided, dilated", device(), 1e-4,
                in -> Convolution.conv2d(in[0], in[1], null, d.stride(2, 1).dilation(1, 2).padding(1)).square(),
                randn(43, REF, 2, 2, 9, 8), randn(44, REF, 3, 2, 3, 3));
        Inputs.assertSecondOrderParity("conv2d depthwise", device(), 1e-4, in -> Convolution.conv2d(in[0], in[1], null, d.groups(3).padding(1)).square(),
                randn(45, REF, 2, 3, 7, 6), randn(46, REF, 3, 1, 3, 3));
        Inputs.assertSecondOrderParity("max_pool2d over relu", device(), 1e-5,
                in -> Pooling.maxPool2d(in[0].relu(), PoolOptions.of(2)).square(), randn(47, REF, 2, 3, 6, 6));
        Inputs.assertSecondOrderParity("avg_pool2d", device(), 1e-5,
                in -> Pooling.avgPool2d(in[0].square(), PoolOptions.of(3).stride(2).padding(1)), randn(48, REF, 2, 2, 7, 7));
        Inputs.assertSecondOrderParity("batch_norm training", device(), 1e-4,
                in -> Normalization.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5).square(), randn(49, REF, 4, 3, 5, 5),
                randn(50, REF, 3), randn(51, REF, 3));
    }

    @Test
    void batchNormForwardAndBackward() {
        Tensor x = randn(8, REF, 4, 5, 17, 19).mul(3).add(1);
        Tensor w = randn(9, REF, 5);
        Tensor b = randn(10, REF, 5);
        assertGradParity("batch_norm training", device(), 1e-4,
                in -> Normalization.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), x, w, b);
        assertGradParity("batch_norm (N, C) without affine", device(), 1e-4,
                in -> Normalization.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5), randn(11, REF, 7, 3));
        // Planes smaller than a GPU block (7 x 9): a block's threads span several samples at once.
        assertGradParity("batch_norm small planes", device(), 1e-4,
                in -> Normalization.batchNorm(in[0], null, null, in[1], null, true, 0.1, 1e-5), randn(14, REF, 9, 3, 7, 9), randn(15, REF, 3));
        // Long channels, as in a network's first stage (30,300 elements each): a GPU spreads each over
        // several blocks, here in slices of unequal length, and combines their partial statistics.
        assertGradParity("batch_norm long channels", device(), 1e-4,
                in -> Normalization.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), randn(16, REF, 3, 2, 100, 101).mul(3).add(1),
                randn(17, REF, 2), randn(18, REF, 2));
        Tensor mean = randn(12, REF, 5);
        Tensor var = randn(13, REF, 5).abs().add(0.5);
        assertGradParity("batch_norm eval", device(), 1e-5,
                in -> Normalization.batchNorm(in[0], mean.to(in[0].device()), var.to(in[0].device()), in[1], in[2], false, 0.1, 1e-5), x, w, b);
    }

    /** Batch norm straight on data that needs no gradient (a model's first layer): only weight and bias get one. */
    @Test
    void batchNormBackwardWithoutAnInputGradient() {
        Tensor x = randn(43, REF, 3, 4, 5, 6);
        Tensor[] grads = new Tensor[4];
        for (int d = 0; d < 2; d++) {
            Device dev = d == 0 ? REF : device();
            Tensor w = randn(44, REF, 4).to(dev).requiresGrad_(true);
            Tensor b = randn(45, REF, 4).to(dev).requiresGrad_(true);
            Normalization.batchNorm(x.to(dev), null, null, w, b, true, 0.1, 1e-5).mul(randn(46, REF, 3, 4, 5, 6).to(dev)).sum().backward();
            grads[2 * d] = w.grad().to(REF);
            grads[2 * d + 1] = b.grad().to(REF);
        }
        Inputs.assertClose("batch_norm weight gradient on " + device(), grads[2], grads[0], 1e-4);
        Inputs.assertClose("batch_norm bias gradient on " + device(), grads[3], grads[1], 1e-4);
    }

    /**
     * An empty batch, or no input channels (an empty sum): empty outputs or the bias, and zero
     * weight gradients; pooling and evaluation-mode batch norm of nothing are empty too.
     */
    @Test
    void convolutionOfAnEmptyBatch() {
        Tensor x = randn(47, REF, 0, 3, 8, 8);
        Tensor w = randn(48, REF, 4, 3, 3, 3);
        Tensor b = randn(49, REF, 4);
        assertGradParity("conv2d of an empty batch", device(), 0, in -> Convolution.conv2d(in[0], in[1], in[2], ConvOptions.DEFAULT.padding(1)),
                x, w, b);
        assertGradParity("conv2d without input channels", device(), 1e-5, in -> Convolution.conv2d(in[0], in[1], in[2], ConvOptions.DEFAULT),
                randn(50, REF, 2, 0, 5, 5), randn(51, REF, 4, 0, 3, 3), b);
        // Training needs more than one value per channel; inference normalises nothing and the
        // weight and bias get zero gradients.
        Tensor mean = randn(52, REF, 3);
        Tensor var = randn(53, REF, 3).abs().add(0.5);
        assertGradParity("batch_norm eval of an empty batch", device(), 0,
                in -> Normalization.batchNorm(in[0], mean.to(in[0].device()), var.to(in[0].device()), in[1], in[2], false, 0.1, 1e-5), x,
                randn(54, REF, 3), randn(55, REF, 3));
        assertGradParity("max_pool2d of an empty batch", device(), 0, in -> Pooling.maxPool2d(in[0], PoolOptions.of(2)), x);
        assertGradParity("avg_pool2d of an empty batch", device(), 0, in -> Pooling.avgPool2d(in[0], PoolOptions.of(3).stride(2).padding(1)), x);
        assertGradParity("max_pool2d without channels", device(), 0, in -> Pooling.maxPool2d(in[0], PoolOptions.of(2)), randn(57, REF, 2, 0, 6, 6));
        Tensor none = Tensor.zeros(new int[] {0}, DType.FLOAT32, REF);
        assertGradParity("batch_norm eval without channels", device(), 0,
                in -> Normalization.batchNorm(in[0], none.to(in[0].device()), none.to(in[0].device()), in[1], in[2], false, 0.1, 1e-5),
                randn(56, REF, 2, 0, 4, 4), none, none);
    }

    @Test
    void batchNormUpdatesRunningStatistics() {
        assertRunningStatistics("short channels", randn(14, REF, 6, 3, 5, 4).add(2));
        // Long channels far from zero (16,800 elements of mean 20 and deviation 0.5): partial
        // statistics combined without losing the variance to cancellation.
        assertRunningStatistics("long channels", randn(19, REF, 4, 3, 60, 70).mul(0.5).add(20));
    }

    private void assertRunningStatistics(String what, Tensor x) {
        int c = x.size(1);
        Tensor refMean = Tensor.zeros(new int[] {c}, DType.FLOAT32, REF);
        Tensor refVar = Tensor.ones(new int[] {c}, DType.FLOAT32, REF);
        Tensor mean = Tensor.zeros(new int[] {c}, DType.FLOAT32, device());
        Tensor var = Tensor.ones(new int[] {c}, DType.FLOAT32, device());
        Normalization.batchNorm(x, refMean, refVar, null, null, true, 0.1, 1e-5);
        Normalization.batchNorm(x.to(device()), mean, var, null, null, true, 0.1, 1e-5);
        Inputs.assertClose("running mean of " + what + " on " + device(), mean.to(REF), refMean, 1e-5);
        Inputs.assertClose("running var of " + what + " on " + device(), var.to(REF), refVar, 1e-5);
        // Running statistics held in strided views (columns of a (C, 2) tensor): the backend
        // computes mean and variance alone, and core updates the views in place.
        Tensor held = Tensor.zeros(new int[] {c, 2}, DType.FLOAT32, device());
        held.select(1, 1).add_(1);
        Normalization.batchNorm(x.to(device()), held.select(1, 0), held.select(1, 1), null, null, true, 0.1, 1e-5);
        Inputs.assertClose("running mean of " + what + " in a strided view on " + device(), held.select(1, 0).to(REF), refMean, 1e-5);
        Inputs.assertClose("running var of " + what + " in a strided view on " + device(), held.select(1, 1).to(REF), refVar, 1e-5);
    }

    /**
     * On data whose batch mean and variance are exact in float32 (multiples of 1/512), the running
     * statistics must have the bits of the elementwise update, {@code r·(1 − m) + stat·m}, whether
     * the backend finishes the statistics in one pass or core runs those ops.
     */
    @Test
    void batchNormRunningStatisticsHaveTheBitsOfTheElementwiseUpdate() {
        assertElementwiseUpdateBits(2, 8, 2);
        // 16,384 elements per channel, which a GPU reduces in slices: exact in double all the same.
        assertElementwiseUpdateBits(4, 3, 64);
    }

    /**
     * The backend's own finish of given statistics (what core calls where the statistics and the
     * update cannot be one call) has the bits of the elementwise ops core would otherwise run,
     * invstd as well as the running statistics; a backend without it writes nothing.
     */
    @Test
    void batchNormUpdateStatsHasTheBitsOfTheElementwiseOps() {
        int c = 37;
        Tensor mean = randn(60, device(), c);
        Tensor var = randn(61, device(), c).abs().add(1e-3);
        Tensor runningMean = randn(62, device(), c);
        Tensor runningVar = randn(63, device(), c).abs();
        double eps = 1e-5;
        double m = 0.1;
        double unbias = 50.0 / 49;
        float[] wantInvstd = var.add(eps).pow(-0.5).toFloatArray();
        float[] wantMean = runningMean.mul(1 - m).add(mean, m).toFloatArray();
        float[] wantVar = runningVar.mul(1 - m).add(var.mul(unbias), m).toFloatArray();
        float[] oldMean = runningMean.toFloatArray();
        float[] oldVar = runningVar.toFloatArray();
        Tensor invstd = Tensor.zeros(new int[] {c}, DType.FLOAT32, device());
        Tensor evalInvstd = Tensor.zeros(new int[] {c}, DType.FLOAT32, device());
        var backend = dev.cortado.backend.Backends.of(device());
        boolean took = backend.batchNormUpdateStats(invstd, runningMean, runningVar, mean, var, eps, m, unbias);
        boolean tookEval = backend.batchNormUpdateStats(evalInvstd, null, null, mean, var, eps, m, 1);
        org.junit.jupiter.api.Assertions.assertEquals(took, tookEval, "with and without running statistics alike on " + device());
        if (!took) {
            assertBits("running mean left as it was", oldMean, runningMean.toFloatArray());
            assertBits("running var left as it was", oldVar, runningVar.toFloatArray());
            assertBits("invstd left as it was", new float[c], invstd.toFloatArray());
            return;
        }
        assertBits("invstd", wantInvstd, invstd.toFloatArray());
        assertBits("invstd without running statistics", wantInvstd, evalInvstd.toFloatArray());
        assertBits("running mean", wantMean, runningMean.toFloatArray());
        assertBits("running var", wantVar, runningVar.toFloatArray());
    }

    private void assertBits(String what, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    what + ", element " + i + " on " + device() + ": " + got[i] + ", expected " + want[i]);
        }
    }

    /** On (n, c, side, side) small integers, whose channel sums and squared deviations are exact in double. */
    private void assertElementwiseUpdateBits(int n, int c, int side) {
        int plane = side * side;
        int count = n * plane;
        float[] xs = new float[n * c * plane];
        double[] sum = new double[c];
        double[] sq = new double[c];
        for (int i = 0; i < xs.length; i++) {
            int ch = i / plane % c;
            xs[i] = (i * (ch + 2)) % 5 - 1;
            sum[ch] += xs[i];
        }
        float[] meanExact = new float[c];
        for (int ch = 0; ch < c; ch++) {
            meanExact[ch] = (float) (sum[ch] / count);
        }
        for (int i = 0; i < xs.length; i++) {
            int ch = i / plane % c;
            sq[ch] += (xs[i] - meanExact[ch]) * (xs[i] - meanExact[ch]);
        }
        float[] varExact = new float[c];
        for (int ch = 0; ch < c; ch++) {
            varExact[ch] = (float) (sq[ch] / count);
        }
        Tensor x = Tensor.fromArray(xs, new int[] {n, c, side, side}, device());
        Tensor runningMean = randn(15, device(), c);
        Tensor runningVar = randn(16, device(), c).abs();
        double m = 0.1;
        Tensor expectedMean = runningMean.mul(1 - m).add(Tensor.fromArray(meanExact, new int[] {c}, device()).mul(m));
        Tensor expectedVar = runningVar.mul(1 - m).add(Tensor.fromArray(varExact, new int[] {c}, device()).mul((double) count / (count - 1))
                .mul(m));
        Normalization.batchNorm(x, runningMean, runningVar, null, null, true, m, 1e-5);
        float[] gotMean = runningMean.toFloatArray();
        float[] gotVar = runningVar.toFloatArray();
        float[] wantMean = expectedMean.toFloatArray();
        float[] wantVar = expectedVar.toFloatArray();
        String what = " of (" + n + ", " + c + ", " + side + ", " + side + ")";
        for (int ch = 0; ch < c; ch++) {
            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(wantMean[ch]), Float.floatToIntBits(gotMean[ch]),
                    "running mean of channel " + ch + what + " on " + device() + ": " + gotMean[ch] + ", expected " + wantMean[ch]);
            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(wantVar[ch]), Float.floatToIntBits(gotVar[ch]),
                    "running var of channel " + ch + what + " on " + device() + ": " + gotVar[ch] + ", expected " + wantVar[ch]);
        }
    }
}
