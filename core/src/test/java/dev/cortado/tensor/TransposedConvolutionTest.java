package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;

/** conv_transpose2d against sums PyTorch 1.13 prints for the same inputs, and as the adjoint of conv2d. */
class TransposedConvolutionTest extends OnReference {
    /** Output shape, then the sums PyTorch printed: y, y·wt, x.grad, x.grad·x, w.grad, w.grad·w, b.grad. */
    private static void run(String name, int n, int cin, int h, int w, int cout, int groups, int[] k, ConvOptions o, int oph, int opw,
                            boolean bias, int[] shape, double... sums) {
        Tensor x = wave(n * cin * h * w, 0.37, false, n, cin, h, w).requiresGrad_(true);
        Tensor weight = wave(cin * (cout / groups) * k[0] * k[1], 0.53, true, cin, cout / groups, k[0], k[1]).requiresGrad_(true);
        Tensor b = bias ? Tensor.arange(0.0, cout, 1).mul(0.1).sub(0.2).requiresGrad_(true) : null;
        Tensor y = TransposedConvolution.convTranspose2d(x, weight, b, o.groups(groups), oph, opw);
        ConvolutionSums.assertSums(name, x, weight, b, y, shape, sums);
    }

    @Test
    void matchesPyTorchWithStridesGroupsDilationAndOutputPadding() {
        run("basic", 2, 3, 4, 5, 4, 1, new int[] {3, 3}, ConvOptions.DEFAULT, 0, 0, true, new int[] {2, 4, 6, 7},
                -16.797103881835938, -34.016536712646484, -484.83514404296875, -27.747533798217773, 5.709216117858887, -27.74753189086914,
                2.706541061401367);
        run("strided", 2, 4, 3, 4, 6, 2, new int[] {3, 2}, ConvOptions.DEFAULT.stride(2, 3).padding(1, 0), 1, 2, true,
                new int[] {2, 6, 6, 13}, 47.64126968383789, 10.368912696838379, 4.363681793212891, 12.377096176147461, -0.7010982036590576,
                12.377096176147461, 15.626934051513672);
        // An output padding at least the stride (allowed below the dilation) makes the output taller
        // than the convolution of the input would be: the case that appends zero rows.
        run("dilated, output padding 1 at stride 1", 1, 2, 4, 3, 2, 1, new int[] {2, 3}, ConvOptions.DEFAULT.padding(0, 1).dilation(2), 1, 1,
                false, new int[] {1, 2, 7, 6}, 0.6251956224441528, 21.43802833557129, 58.36274337768555, 21.438026428222656, 31.516237258911133,
                21.438026428222656);
    }

    @Test
    void isTheAdjointOfTheConvolutionWithTheSameWeight() {
        Tensor x = Tensor.randn(2, 3, 5, 4);
        Tensor w = Tensor.randn(3, 2, 3, 3);
        ConvOptions o = ConvOptions.DEFAULT.stride(2).padding(1);
        Tensor y = TransposedConvolution.convTranspose2d(x, w, null, o, 1, 0);
        Tensor z = Tensor.randn(y.shape());
        ConvolutionSums.near("<convT(x), z> = <x, conv(z)>", y.mul(z).sum().item(), x.mul(Convolution.conv2d(z, w, null, o)).sum().item());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        check(in -> TransposedConvolution.convTranspose2d(in[0], in[1], in[2], ConvOptions.DEFAULT.stride(2).padding(1, 0).groups(2), 1, 0),
                Tensor.randn(1, 4, 3, 3), Tensor.randn(4, 1, 3, 2), Tensor.randn(2));
        check(in -> TransposedConvolution.convTranspose2d(in[0], in[1], null, ConvOptions.DEFAULT.dilation(2), 1, 1),
                Tensor.randn(3, 2, 2), Tensor.randn(3, 2, 2, 2));
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage(() -> TransposedConvolution.convTranspose2d(Tensor.ones(1, 2, 3, 3), Tensor.ones(2, 2, 3, 3), null, ConvOptions.DEFAULT, 1, 1),
                "conv_transpose2d: output padding must be non-negative and smaller than either stride or dilation");
        assertMessage(() -> TransposedConvolution.convTranspose2d(Tensor.ones(1, 3, 3, 3), Tensor.ones(2, 2, 3, 3), null, ConvOptions.DEFAULT, 0, 0),
                "conv_transpose2d: input (1, 3, 3, 3) has 3 channels, weight (2, 2, 3, 3) expects 2");
        assertMessage(() -> TransposedConvolution.convTranspose2d(Tensor.ones(1, 2, 3, 3), Tensor.ones(2, 2, 3, 3), Tensor.ones(3),
                ConvOptions.DEFAULT, 0, 0), "conv_transpose2d: bias (3,) must have shape (2)");
        assertMessage(() -> TransposedConvolution.convTranspose2d(Tensor.ones(1, 2, 3, 3), Tensor.ones(2, 2, 3, 3), null,
                ConvOptions.DEFAULT.padding("same"), 0, 0), "conv_transpose2d: only explicit zero padding is supported");
        assertMessage(() -> TransposedConvolution.convTranspose2d(Tensor.ones(1, 2, 1, 1), Tensor.ones(2, 2, 1, 1), null,
                ConvOptions.DEFAULT.padding(1), 0, 0), "which must be positive");
    }
}
