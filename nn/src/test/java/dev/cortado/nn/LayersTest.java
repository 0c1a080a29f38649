package dev.cortado.nn;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer output shapes, dropout statistics and initialisation distributions, on the CPU backend. */
class LayersTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    @Test
    void outputShapes() {
        Tensor x = Tensor.ones(2, 3, 9, 9);
        assertArrayEquals(new int[] {2, 5, 9, 9}, new Conv2d(3, 5, 3, dev.cortado.tensor.ConvOptions.DEFAULT.padding("same")).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, new MaxPool2d(2).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 5, 5}, new MaxPool2d(3, 2, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 3, 3}, new AvgPool2d(3).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 1, 1}, new AdaptiveAvgPool2d(1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 4, 2}, new AdaptiveMaxPool2d(4, 2).forward(x).shape());
        assertEquals("AdaptiveMaxPool2d(output_size=(3, 4))", new AdaptiveMaxPool2d(3, 4).toString());
        assertArrayEquals(new int[] {2, 243}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {2, 27, 49}, new Unfold(3).forward(x).shape());
        assertArrayEquals(new int[] {2, 4, 18, 18},
                new ConvTranspose2d(3, 4, 4, dev.cortado.tensor.ConvOptions.DEFAULT.stride(2).padding(1), 0).forward(x).shape());
        assertArrayEquals(new int[] {2, 4, 18, 18},
                new ConvTranspose2d(3, 4, 3, dev.cortado.tensor.ConvOptions.DEFAULT.stride(2).padding(1), 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 9, 9}, new Fold(new int[] {9, 9}, 3).forward(new Unfold(3).forward(x)).shape());
        assertArrayEquals(new int[] {2, 3, 9, 7}, new Linear(9, 7).forward(x).shape());
        assertClose("softmax sums to one", new Softmax(1).forward(x).sum(1), Tensor.ones(2, 9, 9), 1e-6);
        assertClose("identity", new Identity().forward(x), x, 0);
        assertClose("leaky", new LeakyReLU(0.2).forward(Tensor.tensor(new float[] {-1, 2})), Tensor.tensor(new float[] {-0.2f, 2}), 1e-7);
        assertClose("sigmoid(0)", new Sigmoid().forward(Tensor.zeros(1)), Tensor.full(new int[] {1}, 0.5), 0);
        assertClose("tanh(0)", new Tanh().forward(Tensor.zeros(1)), Tensor.zeros(1), 0);
        Tensor h = Tensor.tensor(new float[] {-1, 2});
        assertEquals(h, new ReLU(true).forward(h), "ReLU(inplace=True) returns its input, overwritten");
        assertClose("relu in place", h, Tensor.tensor(new float[] {0, 2}), 0);
        assertEquals("ReLU(inplace=True)", new ReLU(true).toString());
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("Unfold(kernel_size=(2, 3), dilation=1, padding=(1, 0), stride=2)",
                new Unfold(new int[] {2, 3}, new int[] {1, 1}, new int[] {1, 0}, new int[] {2, 2}).toString());
        assertEquals("Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)", new Fold(new int[] {4, 5}, 2).toString());
        assertEquals("ConvTranspose2d(16, 8, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=2, bias=False)",
                new ConvTranspose2d(16, 8, 4, 4, dev.cortado.tensor.ConvOptions.DEFAULT.stride(2).padding(1).groups(2), 1, 1, false).toString());
        assertEquals("ConvTranspose2d(3, 5, kernel_size=(3, 3), stride=(1, 1))", new ConvTranspose2d(3, 5, 3).toString());
    }

    @Test
    void oneDimensionalLayersShapeReprAndInit() {
        dev.cortado.tensor.ConvOptions d = dev.cortado.tensor.ConvOptions.DEFAULT;
        Tensor x = Tensor.ones(2, 4, 10);
        assertArrayEquals(new int[] {2, 6, 10}, new Conv1d(4, 6, 3, d.padding(1)).forward(x).shape());
        assertArrayEquals(new int[] {6, 5}, new Conv1d(4, 6, 3, d.stride(2).padding(1)).forward(Tensor.ones(4, 10)).shape());
        assertArrayEquals(new int[] {2, 6, 20}, new ConvTranspose1d(4, 6, 4, d.stride(2).padding(1), 0).forward(x).shape());
        assertArrayEquals(new int[] {2, 4, 5}, new MaxPool1d(2).forward(x).shape());
        assertArrayEquals(new int[] {2, 4, 5}, new MaxPool1d(3, 2, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 4, 3}, new AvgPool1d(3).forward(x).shape());
        assertArrayEquals(new int[] {2, 4, 1}, new AdaptiveAvgPool1d(1).forward(x).shape());
        assertArrayEquals(new int[] {4, 3}, new AdaptiveMaxPool1d(3).forward(Tensor.ones(4, 7)).shape());
        // The reprs PyTorch 1.13 prints for the same layers.
        assertEquals("Conv1d(2, 4, kernel_size=(3,), stride=(1,))", new Conv1d(2, 4, 3).toString());
        assertEquals("Conv1d(2, 4, kernel_size=(3,), stride=(2,), padding=(1,), dilation=(2,), groups=2, bias=False, padding_mode=reflect)",
                new Conv1d(2, 4, 3, d.stride(2).padding(1).dilation(2).groups(2).paddingMode(dev.cortado.tensor.PadMode.REFLECT), false)
                        .toString());
        assertEquals("Conv1d(2, 4, kernel_size=(4,), stride=(1,), padding=same)", new Conv1d(2, 4, 4, d.padding("same")).toString());
        assertEquals("ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,), padding=(1,), output_padding=(1,), groups=2)",
                new ConvTranspose1d(2, 4, 3, d.stride(2).padding(1).groups(2), 1).toString());
        assertEquals("MaxPool1d(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)",
                new MaxPool1d(dev.cortado.tensor.PoolOptions.of(3).stride(2).padding(1).dilation(2).ceilMode(true)).toString());
        assertEquals("AvgPool1d(kernel_size=(4,), stride=(2,), padding=(1,))", new AvgPool1d(4, 2, 1).toString());
        assertEquals("AdaptiveAvgPool1d(output_size=4)", new AdaptiveAvgPool1d(4).toString());
        assertEquals("AdaptiveMaxPool1d(output_size=3)", new AdaptiveMaxPool1d(3).toString());
        // PyTorch's default init: bounds 1/sqrt(fan_in), fan_in = in / groups * k (a transposed one's from its weight's second dim).
        Conv1d conv = new Conv1d(8, 16, 5);
        assertArrayEquals(new int[] {16, 8, 5}, conv.weight.shape());
        double bound = 1 / Math.sqrt(8 * 5);
        assertTrue(conv.weight.abs().max().item() <= bound && conv.weight.abs().max().item() > 0.9 * bound);
        assertTrue(conv.bias.abs().max().item() <= bound);
        ConvTranspose1d up = new ConvTranspose1d(4, 6, 3, d.groups(2), 0);
        assertArrayEquals(new int[] {4, 3, 3}, up.weight.shape());
        assertTrue(up.weight.abs().max().item() <= 1 / Math.sqrt(9));
        assertMessage(() -> new Conv1d(3, 4, 0), "Conv1d: channels and kernel size must be positive, got in=3, out=4, kernel=(0,)");
        assertMessage(() -> new ConvTranspose1d(3, 4, 2, d.groups(2), 0), "ConvTranspose1d: groups 2 must divide in_channels 3");
        assertMessage(() -> new Conv1d(4, 6, 3, d.stride(1, 2)).forward(x), "conv1d: a 1-d op takes one stride");
        assertMessage(() -> new Conv2d(3, 4, 0), "Conv2d: channels and kernel size must be positive, got in=3, out=4, kernel=(0, 0)");
    }

    @Test
    void dropoutScalesKeptValuesAndIsSeeded() {
        Tensor x = Tensor.ones(100_000);
        Dropout d = new Dropout(0.3);
        Cortado.manualSeed(1);
        Tensor y = d.forward(x);
        double zeros = y.eq(0).sum().item() / x.numel();
        assertEquals(0.3, zeros, 0.01);
        assertEquals(1 / 0.7, y.max().item(), 1e-6);
        assertEquals(1.0, y.mean().item(), 0.02);
        Cortado.manualSeed(1);
        assertClose("same seed, same mask", d.forward(x), y, 0);
        d.eval();
        assertClose("eval is identity", d.forward(x), x, 0);
        Dropout2d d2 = new Dropout2d(0.5);
        Tensor c = d2.forward(Tensor.ones(8, 16, 4, 4));
        Tensor perChannel = c.sum(new int[] {2, 3}, false);
        Tensor whole = perChannel.eq(0).add(perChannel.eq(32));
        assertClose("channels dropped whole", whole, Tensor.ones(8, 16), 0);
        assertMessage(() -> new Dropout(-0.1), "Dropout", "-0.1");
        assertMessage(() -> d2.forward(Tensor.ones(4, 4)), "dropout2d", "(4, 4)");
    }

    @Test
    void diracEyeAndTruncatedNormalInitialisers() {
        Tensor w = Init.dirac_(Tensor.zeros(6, 2, 3, 3), 2);
        assertArrayEquals(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 3, 0, 1, 1, 4, 1, 1, 1}, w.nonzero().toLongArray(), "PyTorch's nonzero positions");
        assertArrayEquals(new long[] {0, 0, 1, 1, 1, 1, 2, 2, 1}, Init.dirac_(Tensor.zeros(3, 4, 2)).nonzero().toLongArray());
        Tensor x = Tensor.randn(1, 3, 5, 5);
        Tensor same = F.conv2d(x, Init.dirac_(Tensor.zeros(3, 3, 3, 3)), null, dev.cortado.tensor.ConvOptions.DEFAULT.padding(1));
        assertArrayEquals(x.toFloatArray(), same.toFloatArray(), "a dirac-initialised convolution passes its input through");
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, Init.eye_(Tensor.zeros(2, 3)).toFloatArray());
        Tensor t = Init.truncNormal_(Tensor.zeros(20000), 0.5, 1, -1, 1.5, new dev.cortado.tensor.Generator(3));
        assertTrue(t.min().item() >= -1 && t.max().item() <= 1.5);
        // N(0.5, 1) cut to [-1, 1.5]: mean 0.5 + (φ(-1.5) - φ(1)) / (Φ(1) - Φ(-1.5)) = 0.3548; 20,000 draws give it within 0.02.
        assertEquals(0.3548, t.mean().item(), 0.02);
        assertMessage(() -> Init.truncNormal_(Tensor.zeros(3), 0, 1, 40, 41), "trunc_normal_: [40.0, 41.0] holds a probability of");
        assertMessage(() -> Init.dirac_(Tensor.zeros(5, 2, 3, 3), 2), "dirac_: dim 0 (5) must be divisible by groups (2)");
        assertMessage(() -> Init.eye_(Tensor.zeros(2, 2, 2)), "eye_: only 2-d tensors are supported");
        assertArrayEquals(new int[] {2, 0, 3}, Init.dirac_(Tensor.zeros(2, 0, 3)).shape());
    }

    @Test
    void floatsPrintAsPythonReprsThem() {
        String[][] cases = {{"1e-05", "1e-5"}, {"0.0001", "1e-4"}, {"0.1", "0.1"}, {"1.0", "1"}, {"10000000.0", "1e7"}, {"1e+16", "1e16"},
            {"1.5e-07", "1.5e-7"}, {"-2.5", "-2.5"}, {"0.3333333333333333", String.valueOf(1.0 / 3)}, {"123456789012345.6", "123456789012345.6"},
            {"-0.0", "-0.0"}, {"inf", "Infinity"}, {"nan", "NaN"}};
        for (String[] c : cases) {
            assertEquals(c[0], Py.floatRepr(Double.parseDouble(c[1])), c[1]);
        }
        // As PyTorch 1.13 prints these layers.
        assertEquals("LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)", new LocalResponseNorm(2).toString());
        assertEquals("Dropout(p=0.0001, inplace=False)", new Dropout(1e-4).toString());
        assertEquals("LeakyReLU(negative_slope=1e-05)", new LeakyReLU(1e-5).toString());
        assertEquals("Softshrink(1e-05)", new Softshrink(1e-5).toString());
    }

    @Test
    void threeDimensionalLayersShapeReprAndNorm() {
        Tensor x = Tensor.randn(2, 4, 5, 6, 7);
        Conv3d conv = new Conv3d(4, 6, new int[] {3, 2, 3}, new int[] {2, 1, 2}, new int[] {1, 0, 1}, new int[] {1, 2, 1}, 2, true);
        assertArrayEquals(new int[] {2, 6, 3, 4, 4}, conv.forward(x).shape());
        assertArrayEquals(new int[] {6, 2, 3, 2, 3}, conv.weight.shape());
        assertEquals("Conv3d(4, 6, kernel_size=(3, 2, 3), stride=(2, 1, 2), padding=(1, 0, 1), dilation=(1, 2, 1), groups=2)", conv.toString());
        assertArrayEquals(new int[] {2, 4, 2, 3, 3}, new MaxPool3d(2).forward(x).shape());
        assertArrayEquals(new int[] {4, 2, 3, 3}, new AvgPool3d(2).forward(x.select(0, 0)).shape());
        assertEquals("MaxPool3d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)", new MaxPool3d(3).toString());
        assertEquals("AvgPool3d(kernel_size=2, stride=2, padding=0)", new AvgPool3d(2).toString());
        BatchNorm3d bn = new BatchNorm3d(4);
        assertEquals("BatchNorm3d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
        Tensor y = bn.forward(x);
        assertClose("normalised per channel", y.mean(new int[] {0, 2, 3, 4}, false), Tensor.zeros(4), 1e-5);
        assertMessage(() -> bn.forward(Tensor.ones(2, 4, 5, 6)), "BatchNorm3d(4): expected a 5-d input with 4 channels in dim 1, got (2, 4, 5, 6)");
        assertMessage(() -> new Conv3d(4, 6, new int[] {3, 3}, new int[] {1, 1, 1}, new int[3], new int[] {1, 1, 1}, 1, true),
                "Conv3d: kernel size, stride, padding and dilation each take 3 values");

        ConvTranspose3d up = new ConvTranspose3d(4, 6, new int[] {3, 3, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, 1,
                false, new int[] {1, 1, 1});
        assertEquals("ConvTranspose3d(4, 6, kernel_size=(3, 3, 3), stride=(2, 2, 2), padding=(1, 1, 1), output_padding=(1, 1, 1), bias=False)",
                up.toString());
        assertArrayEquals(new int[] {2, 6, 10, 12, 14}, up.forward(x).shape(), "doubles D, H and W");
        ConvTranspose3d grouped = new ConvTranspose3d(4, 6, new int[] {3, 2, 1}, new int[] {1, 1, 1}, new int[3], new int[3], 2, true,
                new int[] {2, 1, 1});
        assertEquals("ConvTranspose3d(4, 6, kernel_size=(3, 2, 1), stride=(1, 1, 1), dilation=(2, 1, 1), groups=2)", grouped.toString());
        assertArrayEquals(new int[] {4, 3, 3, 2, 1}, grouped.weight.shape());
        double bound = 1 / Math.sqrt(3 * 3 * 2);
        double largest = grouped.weight.abs().max().item();
        assertTrue(largest <= bound && largest > 0.8 * bound, "fan-in from the weight's second dim, as PyTorch: bound " + bound + ", got " + largest);
        assertTrue(grouped.bias.abs().max().item() <= bound);
        assertMessage(() -> new ConvTranspose3d(4, 6, new int[] {3, 3, 3}, new int[] {1, 1, 1}, new int[3], new int[2], 1, true, new int[] {1, 1, 1}),
                "ConvTranspose3d: kernel size, stride, padding, output padding and dilation each take 3 values");
    }

    /** Conv3d's padding modes and string paddings against PyTorch 1.13: the output's sum and the input's and weight's gradients dotted with waves. */
    @Test
    void conv3dPaddingModesMatchPyTorch() {
        int[] k = {2, 3, 4};
        int[] ones = {1, 1, 1};
        conv3dMatches(new Conv3d(4, 6, k, new int[] {2, 1, 1}, new int[] {1, 0, 2}, ones, 1, true, "reflect"),
                "Conv3d(4, 6, kernel_size=(2, 3, 4), stride=(2, 1, 1), padding=(1, 0, 2), padding_mode=reflect)", new int[] {2, 6, 3, 4, 8},
                53.17570877075195, 11.108055114746094, -9.984173774719238);
        conv3dMatches(new Conv3d(4, 6, k, ones, "same", new int[] {1, 2, 1}, 1, true, "circular"),
                "Conv3d(4, 6, kernel_size=(2, 3, 4), stride=(1, 1, 1), padding=same, dilation=(1, 2, 1), padding_mode=circular)",
                new int[] {2, 6, 5, 6, 7}, 125.99654388427734, 29.95475959777832, -0.6926493644714355);
        conv3dMatches(new Conv3d(4, 6, k, ones, "same", ones, 1, true, "zeros"),
                "Conv3d(4, 6, kernel_size=(2, 3, 4), stride=(1, 1, 1), padding=same)", new int[] {2, 6, 5, 6, 7}, 122.04999542236328,
                27.015966415405273, -0.933172345161438);
        conv3dMatches(new Conv3d(4, 6, k, ones, "same", ones, 2, true, "replicate"),
                "Conv3d(4, 6, kernel_size=(2, 3, 4), stride=(1, 1, 1), padding=same, groups=2, padding_mode=replicate)", new int[] {2, 6, 5, 6, 7},
                121.36284637451172, 1.1915907859802246, 1.7559247016906738);
        conv3dMatches(new Conv3d(4, 6, k, new int[] {2, 2, 2}, "valid", ones, 1, true, "zeros"),
                "Conv3d(4, 6, kernel_size=(2, 3, 4), stride=(2, 2, 2), padding=valid)", new int[] {2, 6, 2, 2, 2}, 10.215688705444336,
                -1.2200696468353271, -8.084142684936523);
        Conv3d unbatched = new Conv3d(4, 6, new int[] {3, 3, 3}, ones, "same", ones, 1, true, "reflect");
        setWaves(unbatched);
        Tensor x = dev.cortado.testing.Inputs.wave(4 * 5 * 6 * 7, 0.37, false, 4, 5, 6, 7).requiresGrad_(true);
        Tensor y = unbatched.forward(x);
        y.mul(dev.cortado.testing.Inputs.wave(y.numel(), 0.11, false, y.shape())).sum().backward();
        assertEquals(60.4641227722168, y.sum().item(), 1e-4);
        assertEquals(20.612918853759766, x.grad().mul(dev.cortado.testing.Inputs.wave(x.numel(), 0.77, true, x.shape())).sum().item(), 1e-4);
        assertMessage(() -> new Conv3d(4, 6, new int[] {3, 3, 3}, new int[] {2, 2, 2}, "same", ones, 1, true, "zeros"),
                "Conv3d: padding='same' is not supported for strided convolutions");
        assertMessage(() -> new Conv3d(4, 6, new int[] {3, 3, 3}, ones, new int[3], ones, 1, true, "mirror"),
                "Conv3d: padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='mirror'");
        assertMessage(() -> new Conv3d(4, 6, new int[] {3, 3, 3}, ones, "full", ones, 1, true, "zeros"),
                "Conv3d: invalid padding string 'full', should be one of {'valid', 'same'}");
    }

    private static void setWaves(Conv3d m) {
        try (var off = dev.cortado.autograd.GradMode.off()) {
            m.weight.copy_(dev.cortado.testing.Inputs.wave(m.weight.numel(), 0.53, true, m.weight.shape()));
            m.bias.copy_(Tensor.arange(0.0, m.bias.numel(), 1).mul(0.1).sub(0.2));
        }
    }

    private static void conv3dMatches(Conv3d m, String repr, int[] shape, double sum, double inputGrad, double weightGrad) {
        assertEquals(repr, m.toString());
        setWaves(m);
        Tensor x = dev.cortado.testing.Inputs.wave(2 * 4 * 5 * 6 * 7, 0.37, false, 2, 4, 5, 6, 7).requiresGrad_(true);
        Tensor y = m.forward(x);
        assertArrayEquals(shape, y.shape(), repr);
        y.mul(dev.cortado.testing.Inputs.wave(y.numel(), 0.11, false, y.shape())).sum().backward();
        assertEquals(sum, y.sum().item(), 2e-5 * (1 + Math.abs(sum)), repr + ": sum");
        assertEquals(inputGrad, x.grad().mul(dev.cortado.testing.Inputs.wave(x.numel(), 0.77, true, x.shape())).sum().item(),
                2e-5 * (1 + Math.abs(inputGrad)), repr + ": input gradient");
        assertEquals(weightGrad, m.weight.grad().mul(dev.cortado.testing.Inputs.wave(m.weight.numel(), 0.77, true, m.weight.shape())).sum().item(),
                2e-5 * (1 + Math.abs(weightGrad)), repr + ": weight gradient");
    }

    @Test
    void bilinearMatchesPyTorch() {
        Bilinear m = new Bilinear(3, 4, 5);
        try (var off = dev.cortado.autograd.GradMode.off()) {
            m.weight.copy_(dev.cortado.testing.Inputs.wave(60, 0.13, true, 5, 3, 4));
            m.bias.copy_(dev.cortado.testing.Inputs.wave(5, 0.26, false, 5));
        }
        Tensor a = dev.cortado.testing.Inputs.wave(6, 0.37, false, 2, 3).requiresGrad_(true);
        Tensor b = dev.cortado.testing.Inputs.wave(8, 0.61, true, 2, 4).requiresGrad_(true);
        Tensor y = m.forward(a, b);
        y.mul(dev.cortado.testing.Inputs.wave(10, 0.11, false, 2, 5)).sum().backward();
        assertClose("first outputs", y.detach().reshape(-1).narrow(0, 0, 3),
                Tensor.fromArray(new double[] {1.175929307937622, -1.2459526062011719, -0.7115030884742737}, 3), 1e-6);
        assertEquals(-0.180145263671875, y.sum().item(), 1e-5);
        assertEquals(4.921593189239502, a.grad().mul(dev.cortado.testing.Inputs.wave(6, 0.77, true, 2, 3)).sum().item(), 1e-5);
        assertEquals(0.3632994294166565, b.grad().mul(dev.cortado.testing.Inputs.wave(8, 0.31, true, 2, 4)).sum().item(), 1e-5);
        assertEquals(0.11592194437980652, m.weight.grad().mul(dev.cortado.testing.Inputs.wave(60, 0.5, true, 5, 3, 4)).sum().item(), 1e-5);
        assertEquals(4.51669454574585, m.bias.grad().sum().item(), 1e-5);
        assertEquals("Bilinear(in1_features=3, in2_features=4, out_features=5, bias=False)", new Bilinear(3, 4, 5, false).toString());
        assertTrue(new Bilinear(9, 2, 3).weight.abs().max().item() <= 1 / 3.0, "U(-1/sqrt(in1), 1/sqrt(in1))");
        assertMessage(() -> m.forward(Tensor.ones(2, 3), Tensor.ones(2, 3)), "bilinear: expected input1 (*, in1) and input2 (*, in2)");
        assertMessage(() -> m.forward(Tensor.ones(2, 3)), "Bilinear: takes two inputs");
    }

    @Test
    void orthogonalInitGivesOrthonormalRowsOrColumns() {
        Tensor tall = Init.orthogonal_(Tensor.zeros(6, 4), 1);
        assertClose("QᵀQ = I for a tall matrix", tall.t().matmul(tall), eye(4), 1e-6);
        Tensor wide = Init.orthogonal_(Tensor.zeros(3, 2, 4), 2);
        Tensor flat = wide.reshape(3, 8);
        assertClose("Q Qᵀ = gain² I for a wide one, flattened past dim 0", flat.matmul(flat.t()), eye(3).mul(4), 1e-5);
        assertMessage(() -> Init.orthogonal_(Tensor.zeros(3), 1), "orthogonal_: only tensors with 2 or more dimensions are supported");
    }

    private static Tensor eye(int n) {
        return Init.eye_(Tensor.zeros(n, n));
    }

    @Test
    void initialisationFollowsPyTorchFormulas() {
        Conv2d conv = new Conv2d(16, 32, 3);
        double bound = 1 / Math.sqrt(16 * 9);
        assertTrue(conv.weight.abs().max().item() <= bound, "default conv init within 1/sqrt(fan_in)");
        assertTrue(conv.weight.abs().max().item() > 0.9 * bound);
        assertTrue(conv.bias.abs().max().item() <= bound);
        // A transposed convolution's fan-in is its weight's second dim times the kernel, as PyTorch computes it.
        ConvTranspose2d up = new ConvTranspose2d(4, 6, 3, dev.cortado.tensor.ConvOptions.DEFAULT.groups(2), 0);
        assertArrayEquals(new int[] {4, 3, 3, 3}, up.weight.shape());
        double upBound = 1 / Math.sqrt(3 * 9);
        assertTrue(up.weight.abs().max().item() <= upBound && up.weight.abs().max().item() > 0.9 * upBound);
        assertTrue(up.bias.abs().max().item() <= upBound);
        Tensor w = Tensor.zeros(256, 128, 3, 3);
        Init.kaimingNormal_(w, 0, Init.FanMode.FAN_OUT, "relu");
        assertEquals(Math.sqrt(2.0 / (256 * 9)), w.std(false).item(), 2e-4);
        Init.kaimingUniform_(w, 0, Init.FanMode.FAN_IN, "relu");
        assertEquals(Math.sqrt(6.0 / (128 * 9)), w.abs().max().item(), 1e-3);
        Init.xavierUniform_(w, 1);
        assertEquals(Math.sqrt(6.0 / (9 * (128 + 256))), w.abs().max().item(), 1e-3);
        Init.xavierNormal_(w, 2);
        assertEquals(2 * Math.sqrt(2.0 / (9 * (128 + 256))), w.std(false).item(), 2e-4);
        assertEquals(5.0 / 3, Init.gain("tanh", 0));
        assertEquals(Math.sqrt(2 / 1.01), Init.gain("leaky_relu", 0.1), 1e-12);
        assertArrayEquals(new int[] {128 * 9, 256 * 9}, Init.fans(w));
        assertClose("constant", Init.constant_(Tensor.zeros(3), 0.25), Tensor.full(new int[] {3}, 0.25), 0);
        assertMessage(() -> Init.fans(Tensor.zeros(3)), "fewer than 2 dimensions", "(3,)");
        assertMessage(() -> Init.gain("gelu", 0), "gelu");
        assertMessage(() -> new Conv2d(3, 4, 3, dev.cortado.tensor.ConvOptions.DEFAULT.groups(2)), "groups 2");
    }
}
