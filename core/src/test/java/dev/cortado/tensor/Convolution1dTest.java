package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** conv1d, conv_transpose1d and the 1-d pools against sums PyTorch 1.13 prints for the same inputs. */
class Convolution1dTest extends OnReference {
    /** Output shape, then PyTorch's sums: y, y·wt, x.grad, x.grad·x, w.grad, w.grad·w, b.grad. */
    private static void convolution(String name, boolean transposed, int n, int cin, int length, int cout, int groups, int k,
                                    ConvOptions o, int outputPadding, boolean bias, int[] shape, double... sums) {
        Tensor x = wave(n * cin * length, 0.37, false, n, cin, length).requiresGrad_(true);
        int[] wShape = transposed ? new int[] {cin, cout / groups, k} : new int[] {cout, cin / groups, k};
        Tensor weight = wave(cin * (cout / groups) * k, 0.53, true, wShape).requiresGrad_(true);
        Tensor b = bias ? Tensor.arange(0.0, cout, 1).mul(0.1).sub(0.2).requiresGrad_(true) : null;
        Tensor y = transposed ? TransposedConvolution.convTranspose1d(x, weight, b, o.groups(groups), outputPadding)
                : Convolution.conv1d(x, weight, b, o.groups(groups));
        ConvolutionSums.assertSums(name, x, weight, b, y, shape, sums);
    }

    @Test
    void conv1dMatchesPyTorch() {
        convolution("basic", false, 2, 3, 7, 4, 1, 3, ConvOptions.DEFAULT, 0, true, new int[] {2, 4, 5},
                -5.272564888000488, -25.214792251586914, 6.559307098388672, -23.9948787689209, 12.582205772399902, -23.99488067626953,
                12.348658561706543);
        convolution("strided, padded, dilated, grouped", false, 2, 4, 9, 6, 2, 3, ConvOptions.DEFAULT.stride(2).padding(2).dilation(2), 0,
                true, new int[] {2, 6, 5}, 6.4018402099609375, -0.39523863792419434, -0.39462611079216003, -0.9838104248046875,
                -3.124511241912842, -0.9838110208511353, 0.2962045669555664);
        // nn.Conv1d(padding="same", padding_mode="reflect") with an even kernel: one column on
        // the left, two on the right, each reflected from the input itself.
        convolution("same, reflect, even kernel", false, 2, 2, 6, 3, 1, 4, ConvOptions.DEFAULT.padding("same").paddingMode(PadMode.REFLECT), 0,
                false, new int[] {2, 3, 6}, 1.339315414428711, -33.684059143066406, 6.948270320892334, -33.684059143066406, 29.458492279052734,
                -33.684059143066406);
        convolution("same, circular, dilated", false, 1, 2, 6, 2, 1, 3,
                ConvOptions.DEFAULT.padding("same").dilation(2).paddingMode(PadMode.CIRCULAR), 0, true, new int[] {1, 2, 6},
                -1.5889735221862793, -5.3441643714904785, -2.2411537170410156, -4.549745559692383, 12.189956665039062, -4.549745559692383,
                6.343518257141113);
    }

    @Test
    void convTranspose1dMatchesPyTorch() {
        convolution("strided, grouped, output padding 2", true, 2, 4, 5, 6, 2, 3, ConvOptions.DEFAULT.stride(3).padding(1), 2, true,
                new int[] {2, 6, 15}, -21.141443252563477, 8.711284637451172, 8.403861999511719, 7.638420104980469, -4.884452819824219,
                7.638421058654785, 3.3954906463623047);
        convolution("dilated, output padding 1 at stride 1", true, 1, 2, 4, 2, 1, 2, ConvOptions.DEFAULT.dilation(2), 1, false,
                new int[] {1, 2, 7}, -6.132939338684082, -4.289022445678711, -4.476828575134277, -4.289022445678711, 11.91170597076416,
                -4.2890214920043945);
    }

    /** PyTorch's sums: y, y·wt, x.grad, x.grad·x. */
    private static void pool(String name, Function<Tensor, Tensor> f, int[] inShape, int[] outShape, double... sums) {
        Tensor x = wave(Shapes.numel(inShape), 0.37, false, inShape).requiresGrad_(true);
        ConvolutionSums.assertSums(name, x, null, null, f.apply(x), outShape, sums);
    }

    @Test
    void poolsMatchPyTorch() {
        PoolOptions max = PoolOptions.of(3).stride(2).padding(1).dilation(2).ceilMode(true);
        pool("max", x -> Pooling1d.maxPool1d(x, max), new int[] {2, 3, 10}, new int[] {2, 3, 5},
                13.436573028564453, 6.632458209991455, 18.12864875793457, 6.632458686828613);
        assertArrayEquals(new long[] {3, 5, 5, 5, 7, 1, 5, 7, 9, 9, 1, 1, 3, 5, 7, 3, 5, 7, 9, 9, 1, 1, 3, 9, 9, 3, 5, 5, 5, 7},
                Pooling1d.maxPool1dWithIndices(wave(60, 0.37, false, 2, 3, 10), max).indices().toLongArray());
        pool("avg", x -> Pooling1d.avgPool1d(x, PoolOptions.of(4).stride(3).padding(2).ceilMode(true).countIncludePad(false)),
                new int[] {2, 3, 10}, new int[] {2, 3, 4}, 1.910216212272644, 0.5012845993041992, 16.804363250732422, 0.5012847781181335);
        pool("avg, unbatched", x -> Pooling1d.avgPool1d(x, PoolOptions.of(3)), new int[] {3, 7}, new int[] {3, 2},
                0.41646963357925415, -0.1942620575428009, 1.600677490234375, -0.1942620873451233);
        pool("adaptive avg", x -> Pooling1d.adaptiveAvgPool1d(x, 4), new int[] {2, 3, 10}, new int[] {2, 3, 4},
                2.21016788482666, 0.559630274772644, 16.80436134338379, 0.5596303939819336);
        pool("adaptive max, unbatched", x -> Pooling1d.adaptiveMaxPool1d(x, 3), new int[] {3, 7}, new int[] {3, 3},
                3.1135475635528564, 0.7292028665542603, 3.680668592453003, 0.7292026877403259);
    }

    @Test
    void unbatchedInputsGiveTheBatchedResultsRow() {
        Tensor x = Tensor.randn(3, 8);
        Tensor w = Tensor.randn(2, 3, 3);
        ConvOptions o = ConvOptions.DEFAULT.padding(1).stride(2);
        assertArrayEquals(Convolution.conv1d(x.unsqueeze(0), w, null, o).squeeze(0).toFloatArray(),
                Convolution.conv1d(x, w, null, o).toFloatArray());
        assertArrayEquals(TransposedConvolution.convTranspose1d(x.unsqueeze(0), w.permute(1, 0, 2).contiguous().narrow(0, 0, 3), null, o, 1)
                .squeeze(0).toFloatArray(), TransposedConvolution.convTranspose1d(x, w.permute(1, 0, 2).contiguous().narrow(0, 0, 3), null, o, 1)
                .toFloatArray());
        assertArrayEquals(Pooling1d.maxPool1d(x.unsqueeze(0), PoolOptions.of(2)).squeeze(0).toFloatArray(),
                Pooling1d.maxPool1d(x, PoolOptions.of(2)).toFloatArray());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        check(in -> Convolution.conv1d(in[0], in[1], in[2], ConvOptions.DEFAULT.stride(2).padding(1).groups(2)),
                Tensor.randn(2, 4, 7), Tensor.randn(6, 2, 3), Tensor.randn(6));
        check(in -> Convolution.conv1d(in[0], in[1], null, ConvOptions.DEFAULT.padding("same").paddingMode(PadMode.REPLICATE)),
                Tensor.randn(2, 5), Tensor.randn(3, 2, 4));
        check(in -> TransposedConvolution.convTranspose1d(in[0], in[1], in[2], ConvOptions.DEFAULT.stride(2).dilation(2), 1),
                Tensor.randn(1, 2, 4), Tensor.randn(2, 3, 2), Tensor.randn(3));
        check(in -> Pooling1d.avgPool1d(in[0], PoolOptions.of(3).stride(2).padding(1).countIncludePad(false)), Tensor.randn(2, 2, 7));
        check(in -> Pooling1d.adaptiveAvgPool1d(in[0], 3), Tensor.randn(2, 7));
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage(() -> Convolution.conv1d(Tensor.ones(1, 2, 3, 3), Tensor.ones(2, 2, 3), null, ConvOptions.DEFAULT),
                "conv1d: expected a 2-d (C, L) or 3-d (N, C, L) input, got (1, 2, 3, 3)");
        assertMessage(() -> Convolution.conv1d(Tensor.ones(1, 2, 5), Tensor.ones(2, 2, 3, 3), null, ConvOptions.DEFAULT),
                "conv1d: expected a 3-d weight (out_channels, in_channels / groups, k), got (2, 2, 3, 3)");
        assertMessage(() -> Convolution.conv1d(Tensor.ones(1, 2, 5), Tensor.ones(2, 2, 3), null, ConvOptions.DEFAULT.stride(1, 2)),
                "conv1d: a 1-d op takes one stride, padding and dilation, got the pairs stride (1, 2)");
        assertMessage(() -> Convolution.conv1d(Tensor.ones(1, 3, 5), Tensor.ones(2, 2, 3), null, ConvOptions.DEFAULT),
                "conv1d: input (1, 3, 5) has 3 channels, weight (2, 2, 3) with groups=1 expects 2");
        assertMessage(() -> Convolution.conv1d(Tensor.ones(1, 2, 5), Tensor.ones(2, 2, 3), null, ConvOptions.DEFAULT.stride(0)),
                "conv1d: stride and dilation must be positive and padding non-negative, got stride 0, padding 0, dilation 1");
        assertMessage(() -> Convolution.conv1d(Tensor.ones(1, 2, 2), Tensor.ones(2, 2, 3), null, ConvOptions.DEFAULT.dilation(2)),
                "conv1d: input (1, 2, 2) padded to length 2 is shorter than the dilated kernel (5)");
        assertMessage(() -> Convolution.conv1d(Tensor.ones(1, 2, 5), Tensor.ones(2, 2, 3), Tensor.ones(3), ConvOptions.DEFAULT),
                "conv1d: bias (3,) must have shape (2)");
        assertMessage(() -> TransposedConvolution.convTranspose1d(Tensor.ones(1, 2, 3), Tensor.ones(2, 2, 3), null, ConvOptions.DEFAULT, 1),
                "conv_transpose1d: output padding must be non-negative and smaller than either stride or dilation, got output padding 1, stride 1");
        assertMessage(() -> TransposedConvolution.convTranspose1d(Tensor.ones(1, 2, 1), Tensor.ones(2, 2, 1), null, ConvOptions.DEFAULT.padding(1), 0),
                "conv_transpose1d: input (1, 2, 1) with weight (2, 2, 1) and padding 1 gives an output of length -1");
        assertMessage(() -> Pooling1d.maxPool1d(Tensor.ones(1, 2, 3, 4), PoolOptions.of(2)), "max_pool1d: expected a 2-d (C, L) or 3-d (N, C, L) input");
        assertMessage(() -> Pooling1d.maxPool1d(Tensor.ones(1, 2, 5), PoolOptions.of(2, 3)), "max_pool1d: a 1-d op takes one kernel size, got the pair (2, 3)");
        assertMessage(() -> Pooling1d.avgPool1d(Tensor.ones(1, 2, 5), PoolOptions.of(2).padding(2)),
                "avg_pool1d: padding 2 must be non-negative and at most half of the kernel size 2");
        assertMessage(() -> Pooling1d.maxPool1d(Tensor.ones(1, 2, 2), PoolOptions.of(3)),
                "max_pool1d: input (1, 2, 2) with padding 0 is smaller than the kernel 3; the output would be empty");
        assertMessage(() -> Pooling1d.adaptiveAvgPool1d(Tensor.ones(2, 0), 2), "adaptive_avg_pool1d: output size 2 must be positive and the input (2, 0) non-empty");
        assertMessage(() -> Pooling1d.adaptiveMaxPool1d(Tensor.ones(5), 2), "adaptive_max_pool1d: expected a 2-d (C, L) or 3-d (N, C, L) input, got (5,)");
    }
}
