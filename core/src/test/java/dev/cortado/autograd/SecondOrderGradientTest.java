package dev.cortado.autograd;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Folding;
import dev.cortado.tensor.Normalization;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.TransposedConvolution;
import dev.cortado.testing.OnReference;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.autograd.Gradcheck.checkSecondOrder;
import static dev.cortado.testing.Inputs.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients of gradients (createGraph), against finite differences of the first-order gradients
 * (double precision, reference backend): each op's backward must itself be recorded, with respect
 * to its inputs and to the incoming gradient.
 */
class SecondOrderGradientTest extends OnReference {
    private static final ConvOptions D = ConvOptions.DEFAULT;

    private static Tensor randn(long seed, int... shape) {
        return dev.cortado.testing.Inputs.randn(seed, ReferenceBackend.DEVICE, shape);
    }

    private static Tensor positive(long seed, int... shape) {
        return dev.cortado.testing.Inputs.uniform(seed, 0.5, 2.0, ReferenceBackend.DEVICE, shape);
    }

    @Test
    void pointwise() {
        Tensor x = randn(1, 2, 3);
        Tensor p = positive(2, 2, 3);
        checkSecondOrder(in -> in[0].exp(), x);
        checkSecondOrder(in -> in[0].log(), p);
        checkSecondOrder(in -> in[0].sqrt(), p);
        checkSecondOrder(in -> in[0].rsqrt(), p);
        checkSecondOrder(in -> in[0].reciprocal(), p);
        checkSecondOrder(in -> in[0].pow(3), x);
        checkSecondOrder(in -> in[0].sigmoid(), x);
        checkSecondOrder(in -> in[0].tanh(), x);
        checkSecondOrder(in -> in[0].relu(), x);
        checkSecondOrder(in -> in[0].leakyRelu(0.2), x);
        checkSecondOrder(in -> in[0].abs(), x);
        checkSecondOrder(in -> in[0].sin().mul(in[0].cos()), x);
        checkSecondOrder(in -> in[0].erf(), x);
        checkSecondOrder(in -> in[0].clamp(-0.5, 0.5), x);
    }

    @Test
    void arithmeticWithBroadcasting() {
        Tensor a = randn(3, 3, 4);
        Tensor b = randn(4, 4);
        Tensor p = positive(5, 3, 1);
        checkSecondOrder(in -> in[0].add(in[1]), a, b);
        checkSecondOrder(in -> in[0].sub(in[1]), a, b);
        checkSecondOrder(in -> in[0].mul(in[1]), a, b);
        checkSecondOrder(in -> in[0].div(in[1]), a, p);
        checkSecondOrder(in -> in[1].pow(in[0]), a, p);
        checkSecondOrder(in -> Tensor.where(in[0].gt(0), in[0].square(), in[1]), a, b);
        checkSecondOrder(in -> in[0].maximum(in[1]), a, b);
    }

    @Test
    void reductionsAndNorms() {
        Tensor x = randn(6, 2, 3, 4);
        checkSecondOrder(in -> in[0].square().sum(), x);
        checkSecondOrder(in -> in[0].exp().mean(new int[] {0, 2}, true), x);
        checkSecondOrder(in -> in[0].max(1, false).values().square(), x);
        checkSecondOrder(in -> in[0].std(new int[] {1}, true, false), x);
        checkSecondOrder(in -> in[0].norm(), x);
        checkSecondOrder(in -> in[0].logsumexp(new int[] {2}, false), x);
        checkSecondOrder(in -> in[0].softmax(1), x);
        checkSecondOrder(in -> in[0].logSoftmax(-1), x);
    }

    @Test
    void viewsJoinsAndIndexing() {
        Tensor x = randn(7, 2, 3, 4);
        Tensor index = Tensor.fromArray(new long[] {2, 0, 1, 1, 0, 2, 1, 2}, new int[] {2, 1, 4}, ReferenceBackend.DEVICE);
        checkSecondOrder(in -> in[0].square().permute(2, 0, 1).reshape(4, 6), x);
        checkSecondOrder(in -> in[0].narrow(1, 1, 2).square(), x);
        checkSecondOrder(in -> in[0].slice(2, 0, 4, 2).mul(in[0].select(1, 0).unsqueeze(1).narrow(2, 1, 2)), x);
        checkSecondOrder(in -> in[0].expand(3, 2, 3, 4).tanh(), x);
        checkSecondOrder(in -> Tensor.cat(List.of(in[0].square(), in[1]), 1), x, randn(8, 2, 2, 4));
        checkSecondOrder(in -> in[0].pad(new int[] {1, -1, 0, 2}, PadMode.CONSTANT, 0).square(), x);
        checkSecondOrder(in -> in[0].pad(new int[] {2, 1, 1, 2}, PadMode.REFLECT, 0).square(), x);
        checkSecondOrder(in -> in[0].square().diagonal(0, 1, 2), x);
        checkSecondOrder(in -> in[0].square().gather(1, index), x);
        checkSecondOrder(in -> in[0].square().indexSelect(2, Tensor.fromArray(new long[] {3, 0, 3}, new int[] {3}, ReferenceBackend.DEVICE)), x);
        checkSecondOrder(in -> in[0].square().topk(2, -1, true).values(), x);
        checkSecondOrder(in -> in[0].square().unfold(2, 2, 1), x);
        checkSecondOrder(in -> in[0].flip(2).cumsum(2).square(), x);
    }

    @Test
    void matmulAndLinearLayers() {
        checkSecondOrder(in -> in[0].matmul(in[1]).tanh(), randn(9, 3, 4), randn(10, 4, 2));
        checkSecondOrder(in -> in[0].matmul(in[1].t()).square(), randn(11, 2, 3, 4), randn(12, 5, 4));
        // A two-layer perceptron: the Hessian couples both weights through the hidden layer.
        checkSecondOrder(in -> in[0].matmul(in[1].t()).add(in[2]).sigmoid().matmul(in[3].t()), randn(13, 4, 3), randn(14, 5, 3),
                randn(15, 5), randn(16, 2, 5));
    }

    @Test
    void convolutionsAndTransposedConvolutions() {
        checkSecondOrder(in -> Convolution.conv2d(in[0], in[1], in[2], D.padding(1)).square(), randn(17, 2, 2, 4, 5), randn(18, 3, 2, 3, 3),
                randn(19, 3));
        checkSecondOrder(in -> Convolution.conv2d(in[0], in[1], null, D.stride(2, 1).padding(1, 0).dilation(1, 2)).square(),
                randn(20, 1, 2, 7, 6), randn(21, 2, 2, 3, 2));
        checkSecondOrder(in -> Convolution.conv2d(in[0], in[1], null, D.groups(2).padding(1)).square(), randn(22, 2, 4, 4, 4),
                randn(23, 4, 2, 2, 3));
        checkSecondOrder(in -> Convolution.conv2d(in[0], in[1], null, D.padding(1).paddingMode(PadMode.REFLECT)).square(),
                randn(24, 1, 2, 4, 5), randn(25, 2, 2, 3, 3));
        checkSecondOrder(in -> TransposedConvolution.convTranspose2d(in[0], in[1], in[2], D.stride(2).padding(1), 1, 0).square(),
                randn(26, 2, 2, 3, 3), randn(27, 2, 3, 3, 2), randn(28, 3));
        checkSecondOrder(in -> Folding.fold(Folding.unfold(in[0], new int[] {2, 3}, new int[] {1, 1}, new int[] {1, 0}, new int[] {2, 1}).square(),
                new int[] {5, 4}, new int[] {2, 3}, new int[] {1, 1}, new int[] {1, 0}, new int[] {2, 1}), randn(29, 1, 2, 5, 4));
    }

    @Test
    void poolingAndBatchNorm() {
        Tensor x = randn(30, 2, 2, 5, 5);
        checkSecondOrder(in -> Pooling.maxPool2d(in[0].square(), PoolOptions.of(2)), x);
        checkSecondOrder(in -> Pooling.maxPool2d(in[0].relu(), PoolOptions.of(3).stride(2).padding(1).ceilMode(true)), x);
        checkSecondOrder(in -> Pooling.avgPool2d(in[0].square(), PoolOptions.of(3).stride(2).padding(1).countIncludePad(false)), x);
        checkSecondOrder(in -> Normalization.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5).square(), x.mul(2).add(1),
                randn(31, 2), randn(32, 2));
        checkSecondOrder(in -> Normalization.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5).square(), randn(33, 5, 3));
        Tensor mean = randn(34, 2);
        Tensor var = positive(35, 2);
        checkSecondOrder(in -> Normalization.batchNorm(in[0], mean, var, in[1], in[2], false, 0.1, 1e-5).square(), x, randn(36, 2),
                randn(37, 2));
    }

    @Test
    void crossEntropy() {
        Tensor target = Tensor.fromArray(new long[] {2, 0, 1, 2}, new int[] {4}, ReferenceBackend.DEVICE);
        checkSecondOrder(in -> {
            Tensor[] loss = dev.cortado.tensor.Classification.nllLoss(in[0].logSoftmax(1), target, null, -100);
            return loss[0].sum().div(loss[1]);
        }, randn(38, 4, 3));
    }

    @Test
    void hessianVectorProductOfACubic() {
        // f(x) = sum x³: the Hessian is diag(6x), so H v = 6 x v.
        Tensor x = randn(40, 5).requiresGrad_(true);
        Tensor v = randn(41, 5);
        Tensor g = Gradients.grad(List.of(x.pow(3).sum()), List.of(x), null, true, true, false)[0];
        assertTrue(g.requiresGrad(), "a createGraph gradient carries a graph");
        Tensor hv = Gradients.grad(g.mul(v).sum(), x)[0];
        assertClose("H v", hv, x.detach().mul(v).mul(6), 1e-12);
    }

    @Test
    void backwardWithCreateGraphAccumulatesDifferentiableGradients() {
        Tensor x = randn(42, 4).requiresGrad_(true);
        x.pow(3).sum().backward(Tensor.ones(new int[0], x.dtype(), x.device()), true, true);
        Tensor first = x.grad();
        assertClose("3 x²", first.detach(), x.detach().square().mul(3), 1e-12);
        assertNotNull(first.gradFn(), "the gradient has a node");
        // A second createGraph pass adds to the gradient out of place, still on the graph.
        x.square().sum().backward(Tensor.ones(new int[0], x.dtype(), x.device()), true, true);
        assertClose("3 x² + 2 x", x.grad().detach(), x.detach().square().mul(3).add(x.detach().mul(2)), 1e-12);
        Tensor grad = x.grad();
        x.zeroGrad();
        grad.sum().backward();
        assertClose("d/dx sum(3 x² + 2 x)", x.grad(), x.detach().mul(6).add(2), 1e-12);
    }

    @Test
    void gradientPenaltyOfACriticReachesItsWeights() {
        // WGAN-GP's penalty (|d D(x) / d x| - 1)²: its gradient with respect to D's weights needs
        // the second derivative through every layer.
        Tensor x = randn(43, 3, 2, 5, 5).requiresGrad_(true);
        Tensor w1 = randn(44, 4, 2, 3, 3).requiresGrad_(true);
        Tensor w2 = randn(45, 1, 16).requiresGrad_(true);
        Tensor score = Convolution.conv2d(x, w1, null, D.stride(2)).leakyRelu(0.2).flatten(1).matmul(w2.t()).sum();
        Tensor gx = Gradients.grad(List.of(score), List.of(x), null, true, true, false)[0];
        Tensor penalty = gx.flatten(1).norm(2, new int[] {1}, false).sub(1).square().mean();
        penalty.backward();
        assertNotNull(w1.grad());
        assertNotNull(w2.grad());
        checkSecondOrder(in -> Convolution.conv2d(in[0], in[1], null, D.stride(2)).leakyRelu(0.2).flatten(1).matmul(in[2].t()),
                randn(46, 2, 2, 5, 5), randn(47, 4, 2, 3, 3), randn(48, 1, 16));
    }

    @Test
    void thirdDerivativesThroughTheRecordedGradients() {
        // The recorded forms are themselves recorded ops, so a gradient of a createGraph gradient
        // can be differentiated once more: checkSecondOrder of a first-order gradient.
        checkSecondOrder(in -> Gradients.grad(List.of(Convolution.conv2d(in[0], in[1], null, D.stride(2).padding(1)).tanh().sum()),
                List.of(in[0], in[1]), null, true, true, false)[1], randn(52, 1, 2, 5, 5), randn(53, 2, 2, 3, 3));
        checkSecondOrder(in -> Gradients.grad(List.of(Normalization.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5).pow(3).sum()),
                List.of(in[0]), null, true, true, false)[0], randn(54, 4, 2));
        checkSecondOrder(in -> Gradients.grad(List.of(Pooling.maxPool2d(in[0].pow(3), PoolOptions.of(2)).sum()), List.of(in[0]), null,
                true, true, false)[0], randn(55, 1, 1, 4, 4));
    }

    @Test
    void aBackwardThatIsNotDifferentiableRefusesTheSecondPass() {
        Tensor x = randn(50, 3, 4).requiresGrad_(true);
        Tensor y = x.mul(2);
        // An in-place update of a view makes y's node a CopySlices, whose backward is not recorded.
        y.narrow(0, 0, 1).mul_(3);
        Tensor g = Gradients.grad(List.of(y.square().sum()), List.of(x), null, true, true, false)[0];
        assertTrue(g.requiresGrad());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> g.sum().backward());
        assertTrue(e.getMessage().startsWith("CopySlices: its backward is not differentiable"), e.getMessage());
        // The first-order gradient itself is right: 2·2y·(3 on the updated row).
        Tensor expected = x.detach().mul(8).mul(Tensor.fromArray(new double[] {9, 9, 9, 9, 1, 1, 1, 1, 1, 1, 1, 1}, new int[] {3, 4},
                ReferenceBackend.DEVICE));
        assertClose("first order", g.detach(), expected, 1e-12);
    }

    @Test
    void hooksAndRetainedGradientsSeeDifferentiableGradients() {
        // y = x², z = sum(y³): a hook doubling y's gradient (3 y² → 6 y²) is part of the recorded
        // graph, and the retained gradient of y carries its graph too.
        Tensor x = randn(56, 4).requiresGrad_(true);
        Tensor y = x.square();
        y.retainGrad();
        y.registerHook(g -> g.mul(2));
        Tensor gx = Gradients.grad(List.of(y.pow(3).sum()), List.of(x), null, true, true, false)[0];
        // gx = 2 · 3 y² · 2x = 12 x⁵.
        assertClose("hooked gradient", gx.detach(), x.detach().pow(5).mul(12), 1e-12);
        // The second pass goes through y's node again, so the hook doubles what reaches y there too:
        // 12 y² + (2 · 24 x y) · 2x = 108 x⁴, PyTorch's value for the same hook.
        Tensor second = Gradients.grad(gx.sum(), x)[0];
        assertClose("its derivative", second, x.detach().pow(4).mul(108), 1e-10);
        Tensor z = x.square();
        z.retainGrad();
        z.pow(3).sum().backward(Tensor.ones(new int[0], x.dtype(), x.device()), true, true);
        assertTrue(z.grad().requiresGrad(), "a retained gradient of a createGraph pass has a graph");
    }

    @Test
    void withoutCreateGraphTheGradientHasNoGraph() {
        Tensor x = randn(51, 4).requiresGrad_(true);
        Tensor g = Gradients.grad(x.pow(3).sum(), x)[0];
        assertEquals(false, g.requiresGrad());
    }
}
