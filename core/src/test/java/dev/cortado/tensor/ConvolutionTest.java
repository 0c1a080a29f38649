package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** conv2d against values printed by PyTorch 1.13, its output-size formula, its gradients and its errors. */
class ConvolutionTest extends OnReference {
    private static final ConvOptions D = ConvOptions.DEFAULT;

    private static Tensor randn(long seed, int... shape) {
        return dev.cortado.testing.Inputs.randn(seed, ReferenceBackend.DEVICE, shape);
    }

    /** (arange(40) - 20) / 10 as (1, 2, 4, 5), and (arange(36) - 18) / 20 as (2, 2, 3, 3). */
    private static Tensor x() {
        return Tensor.arange(40).to(DType.FLOAT32).sub(20).div(10).reshape(1, 2, 4, 5);
    }

    private static Tensor w() {
        return Tensor.arange(36).to(DType.FLOAT32).sub(18).div(20).reshape(2, 2, 3, 3);
    }

    private static void assertValues(Tensor actual, int[] shape, float... expected) {
        assertClose("values", actual, Tensor.fromArray(expected, shape), 1e-5);
    }

    @Test
    void stridedPaddedWithBiasMatchesPyTorch() {
        Tensor y = Convolution.conv2d(x(), w(), Tensor.tensor(new float[] {0.5f, -1f}), D.stride(2).padding(1));
        assertValues(y, new int[] {1, 2, 2, 3}, 4.56f, 6.105f, 3.82f, 3.545f, 3.8f, 1.715f, -1.98f, -1.335f, -0.56f, 2.585f, 5.54f, 3.995f);
    }

    @Test
    void reflectPaddingMatchesPyTorch() {
        Tensor y = Convolution.conv2d(x(), w(), null, D.padding(1).paddingMode(PadMode.REFLECT));
        assertValues(y, new int[] {1, 2, 4, 5}, 9.18f, 8.955f, 8.1f, 7.245f, 6.9f, 8.655f, 8.43f, 7.575f, 6.72f, 6.375f, 4.38f, 4.155f,
                3.3f, 2.445f, 2.1f, 2.055f, 1.83f, 0.975f, 0.12f, -0.225f, -0.54f, -0.225f, 0.54f, 1.305f, 1.5f, 1.635f, 1.95f, 2.715f,
                3.48f, 3.675f, 5.46f, 5.775f, 6.54f, 7.305f, 7.5f, 5.835f, 6.15f, 6.915f, 7.68f, 7.875f);
    }

    @Test
    void replicateAndCircularPaddingMatchPyTorch() {
        ConvOptions o = D.stride(2, 1).padding(2, 1);
        assertValues(Convolution.conv2d(x(), w(), null, o.paddingMode(PadMode.REPLICATE)), new int[] {1, 2, 3, 5}, 12.345f, 11.805f,
                10.95f, 10.095f, 9.495f, 8.97f, 8.43f, 7.575f, 6.72f, 6.12f, 1.395f, 0.855f, 0f, -0.855f, -1.455f, -3.315f, -2.775f,
                -2.01f, -1.245f, -0.765f, 1.41f, 1.95f, 2.715f, 3.48f, 3.96f, 7.335f, 7.875f, 8.64f, 9.405f, 9.885f);
        assertValues(Convolution.conv2d(x(), w(), null, o.paddingMode(PadMode.CIRCULAR)), new int[] {1, 2, 3, 5}, 3.06f, 3.78f, 2.925f,
                2.07f, 2.49f, 7.71f, 8.43f, 7.575f, 6.72f, 7.14f, 3.06f, 3.78f, 2.925f, 2.07f, 2.49f, 3.06f, 2.7f, 3.465f, 4.23f, 3.57f,
                2.31f, 1.95f, 2.715f, 3.48f, 2.82f, 3.06f, 2.7f, 3.465f, 4.23f, 3.57f);
    }

    @Test
    void samePaddingWithAnEvenKernelPadsBottomRightLikePyTorch() {
        Tensor w2 = Tensor.arange(16).to(DType.FLOAT32).sub(8).div(10).reshape(2, 2, 2, 2);
        Tensor y = Convolution.conv2d(x(), w2, null, D.padding("same"));
        assertValues(y, new int[] {1, 2, 4, 5}, 4.34f, 3.98f, 3.62f, 3.26f, 1.6f, 2.54f, 2.18f, 1.82f, 1.46f, 0.6f, 0.74f, 0.38f,
                0.02f, -0.34f, -0.4f, -0.4f, -0.62f, -0.84f, -1.06f, -0.68f, -0.14f, 0.14f, 0.42f, 0.7f, 0.48f, 1.26f, 1.54f, 1.82f,
                2.1f, 1.08f, 2.66f, 2.94f, 3.22f, 3.5f, 1.68f, 1.36f, 1.46f, 1.56f, 1.66f, 0.76f);
    }

    @Test
    void samePaddingWithAReflectionPadsOnceLikePyTorch() {
        // Kernel (2, 4): one row at the bottom, one column at the left and two at the right, each
        // reflected from the input itself (a second reflection step would reflect the first's padding).
        Tensor w = Tensor.arange(32).to(DType.FLOAT32).sub(16).div(10).reshape(2, 2, 2, 4);
        Tensor y = Convolution.conv2d(x(), w, null, D.padding("same").paddingMode(PadMode.REFLECT));
        assertValues(y, new int[] {1, 2, 4, 5}, 16.12f, 15.56f, 14.2f, 13.4f, 13.24f, 9.32f, 8.76f, 7.4f, 6.6f, 6.44f, 2.52f, 1.96f,
                0.6f, -0.2f, -0.36f, 0.92f, 0.36f, -1.0f, -1.8f, -1.96f, -0.52f, 0.2f, 1.4f, 1.88f, 1.72f, 5.48f, 6.2f, 7.4f, 7.88f, 7.72f,
                11.48f, 12.2f, 13.4f, 13.88f, 13.72f, 9.88f, 10.6f, 11.8f, 12.28f, 12.12f);
    }

    @Test
    void outputShapeFollowsTheDocumentedFormula() {
        // H_out = floor((H + 2p - d(k - 1) - 1) / s) + 1
        int[][] cases = {{28, 3, 1, 0, 1, 26}, {28, 3, 1, 1, 1, 28}, {32, 3, 2, 1, 1, 16}, {7, 3, 2, 0, 1, 3}, {10, 3, 1, 2, 2, 10},
            {5, 5, 1, 0, 1, 1}, {9, 2, 3, 0, 1, 3}};
        for (int[] c : cases) {
            Tensor y = Convolution.conv2d(Tensor.zeros(1, 1, c[0], c[0]), Tensor.zeros(1, 1, c[1], c[1]), null,
                    D.stride(c[2]).padding(c[3]).dilation(c[4]));
            assertArrayEquals(new int[] {1, 1, c[5], c[5]}, y.shape(), java.util.Arrays.toString(c));
        }
        assertArrayEquals(new int[] {4, 7, 7}, Convolution.conv2d(Tensor.zeros(3, 7, 7), Tensor.zeros(4, 3, 3, 3), null,
                D.padding("same")).shape(), "unbatched input");
        assertArrayEquals(new int[] {2, 6, 5, 5}, Convolution.conv2d(Tensor.zeros(2, 4, 7, 7), Tensor.zeros(6, 2, 3, 3), null,
                D.groups(2).padding("valid")).shape(), "groups");
    }

    @Test
    void depthwiseConvolutionFiltersEachChannelAlone() {
        Tensor img = randn(1, 1, 3, 5, 5);
        Tensor w = randn(2, 3, 1, 3, 3);
        Tensor y = Convolution.conv2d(img, w, null, D.groups(3).padding(1));
        for (int c = 0; c < 3; c++) {
            Tensor one = Convolution.conv2d(img.narrow(1, c, 1), w.narrow(0, c, 1), null, D.padding(1));
            assertClose("channel " + c, y.narrow(1, c, 1), one, 1e-12);
        }
    }

    @Test
    void gradients() {
        check(in -> Convolution.conv2d(in[0], in[1], in[2], D.padding(1)), randn(1, 2, 2, 5, 4), randn(2, 3, 2, 3, 3), randn(3, 3));
        check(in -> Convolution.conv2d(in[0], in[1], null, D.stride(2, 1).padding(1, 0).dilation(1, 2)), randn(4, 1, 2, 7, 7),
                randn(5, 2, 2, 3, 2));
        check(in -> Convolution.conv2d(in[0], in[1], in[2], D.groups(2)), randn(6, 2, 4, 4, 4), randn(7, 4, 2, 2, 2), randn(8, 4));
        check(in -> Convolution.conv2d(in[0], in[1], null, D.padding(2).paddingMode(PadMode.REFLECT)), randn(9, 1, 2, 4, 5),
                randn(10, 2, 2, 3, 3));
        check(in -> Convolution.conv2d(in[0], in[1], null, D.padding("same")), randn(11, 1, 1, 4, 5), randn(12, 2, 1, 2, 3));
    }

    @Test
    void biasGradientIsTheSameWhetherOrNotTheWeightNeedsOne() {
        Tensor x = randn(13, 2, 2, 5, 4);
        Tensor w = randn(14, 3, 2, 3, 3);
        Tensor b = randn(15, 3);
        Tensor[] grads = new Tensor[2];
        for (int frozen = 0; frozen < 2; frozen++) {
            Tensor wi = w.detach().requiresGrad_(frozen == 0);
            Tensor bi = b.detach().requiresGrad_(true);
            Tensor y = Convolution.conv2d(x, wi, bi, D.padding(1));
            y.mul(y).sum().backward();
            grads[frozen] = bi.grad();
        }
        assertClose("bias gradient with a frozen weight", grads[1], grads[0], 1e-5);
        assertClose("bias gradient", grads[0], Convolution.conv2d(x, w, b, D.padding(1)).mul(2).sum(new int[] {0, 2, 3}, false), 1e-5);
    }

    @Test
    void errorsNameTheShapesAndTheRule() {
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(128, 3, 32, 32), Tensor.zeros(16, 1, 3, 3), null, D),
                "conv2d: input (128, 3, 32, 32) has 3 channels, weight (16, 1, 3, 3) with groups=1 expects 1");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 4, 8, 8), Tensor.zeros(6, 2, 3, 3), null, D.groups(3)), "groups 3",
                "divide");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 8, 8), Tensor.zeros(2, 1, 3, 3), Tensor.zeros(3), D), "bias (3,)",
                "(2)");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(2, 1, 3, 3), null, D), "(1, 1, 2, 2)",
                "smaller than the dilated kernel (3, 3)");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 8, 8), Tensor.zeros(2, 1, 3, 3), null, D.stride(2).padding("same")),
                "same", "strided");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(8, 8), Tensor.zeros(2, 1, 3, 3), null, D), "conv2d", "(8, 8)", "4-d");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 8, 8), Tensor.zeros(2, 3, 3), null, D), "weight", "(2, 3, 3)");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 8, 8), Tensor.zeros(2, 1, 3, 3), null, D.stride(0)), "stride (0, 0)");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 8, 8), Tensor.zeros(2, 1, 3, 3), null, D.padding(-1)), "padding (-1, -1)");
        assertMessage(() -> D.padding("full"), "conv2d", "\"full\"");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(2, 1, 3, 3), null,
                D.padding(2).paddingMode(PadMode.REFLECT)), "pad");
    }
}
