package dev.cortado.nn;

import dev.cortado.autograd.Gradients;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.Inputs;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.autograd.Gradcheck.checkSecondOrder;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second derivatives (createGraph) of the functional ops and layers that gradient penalties,
 * Hessian-vector products and double back-propagation go through, against finite differences of
 * their first-order gradients in double precision.
 */
class SecondOrderTest {
    private static final Device REF = ReferenceBackend.DEVICE;

    @BeforeAll
    static void reference() {
        Cortado.setDefaultDevice(REF);
    }

    @AfterAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Tensor randn(long seed, int... shape) {
        return Inputs.randn(seed, REF, shape);
    }

    @Test
    void activations() {
        Tensor x = randn(1, 3, 4);
        checkSecondOrder(in -> F.gelu(in[0]), x);
        checkSecondOrder(in -> F.gelu(in[0], "tanh"), x);
        checkSecondOrder(in -> F.silu(in[0]), x);
        checkSecondOrder(in -> F.mish(in[0]), x);
        checkSecondOrder(in -> F.softplus(in[0], 2, 20), x);
        checkSecondOrder(in -> F.elu(in[0], 1.3), x);
        checkSecondOrder(in -> F.selu(in[0]), x);
        checkSecondOrder(in -> F.logsigmoid(in[0]), x);
        checkSecondOrder(in -> F.hardswish(in[0].mul(3)), x);
        checkSecondOrder(in -> F.prelu(in[0], in[1]), x, randn(2, 1));
        checkSecondOrder(in -> F.glu(in[0], 1), x);
        checkSecondOrder(in -> F.softmin(in[0], 0), x);
    }

    @Test
    void normalisationLayers() {
        Tensor x = randn(3, 2, 6, 3).mul(2).add(1);
        checkSecondOrder(in -> F.layerNorm(in[0], new int[] {6, 3}, in[1], in[2], 1e-5).square(), x, randn(4, 6, 3), randn(5, 6, 3));
        checkSecondOrder(in -> F.groupNorm(in[0], 3, in[1], in[2], 1e-5).square(), x, randn(6, 6), randn(7, 6));
        checkSecondOrder(in -> F.normalize(in[0], 2, 1, 1e-12), x);
        checkSecondOrder(in -> F.localResponseNorm(in[0].unsqueeze(3), 3, 1e-2, 0.75, 1), x);
    }

    @Test
    void losses() {
        Tensor x = randn(8, 4, 5);
        Tensor y = randn(9, 4, 5);
        Tensor labels = Tensor.fromArray(new long[] {4, 0, 2, 2}, new int[] {4}, REF);
        Tensor probabilities = y.sigmoid();
        checkSecondOrder(in -> F.crossEntropy(in[0], labels), x);
        checkSecondOrder(in -> F.crossEntropy(in[0], labels, in[1], -100, Reduction.MEAN, 0.1), x, randn(10, 5).abs().add(0.5));
        checkSecondOrder(in -> F.mseLoss(in[0], in[1]), x, y);
        checkSecondOrder(in -> F.binaryCrossEntropyWithLogits(in[0], probabilities), x);
        checkSecondOrder(in -> F.binaryCrossEntropy(in[0].sigmoid(), probabilities), x);
        checkSecondOrder(in -> F.smoothL1Loss(in[0], in[1]), x, y);
        checkSecondOrder(in -> F.klDiv(in[0].logSoftmax(1), probabilities.softmax(1), Reduction.SUM, false), x);
        checkSecondOrder(in -> F.cosineSimilarity(in[0], in[1]), x, y);
    }

    @Test
    void resamplingAndAttention() {
        Tensor image = randn(11, 1, 2, 4, 5);
        checkSecondOrder(in -> F.interpolate(in[0], new int[] {7, 6}, InterpolationMode.BILINEAR, false).square(), image);
        checkSecondOrder(in -> F.adaptiveAvgPool2d(in[0].square(), 3, 2), image);
        checkSecondOrder(in -> F.adaptiveMaxPool2d(in[0].square(), 2, 2), image);
        checkSecondOrder(in -> F.pixelShuffle(in[0].square().repeat(1, 2, 1, 1), 2), image);
        checkSecondOrder(in -> F.scaledDotProductAttention(in[0], in[1], in[2], null, 0, true, Double.NaN), randn(12, 2, 3, 4),
                randn(13, 2, 5, 4), randn(14, 2, 5, 3));
    }

    @Test
    void gradientPenaltyThroughModules() {
        // WGAN-GP through nn layers: the penalty's gradient reaches every parameter.
        Sequential critic = new Sequential(new Conv2d(2, 4, 3, ConvOptions.DEFAULT.stride(2).padding(1)), new LeakyReLU(0.2),
                new Conv2d(4, 4, 3, ConvOptions.DEFAULT.padding(1)), new GELU(), new Flatten(), new Linear(36, 1));
        Tensor x = randn(15, 3, 2, 6, 6).requiresGrad_(true);
        Tensor gx = Gradients.grad(List.of(critic.call(x).sum()), List.of(x), null, true, true, false)[0];
        gx.flatten(1).norm(2, new int[] {1}, false).sub(1).square().mean().backward();
        List<Tensor> parameters = critic.parameters();
        for (Tensor p : parameters.subList(0, parameters.size() - 1)) {
            assertNotNull(p.grad(), "every parameter the input gradient depends on gets a gradient");
            assertTrue(p.grad().abs().sum().item() > 0, "and it is not all zero");
        }
        // The input's gradient does not depend on the last bias, so, as in PyTorch, it gets none.
        assertNull(parameters.get(parameters.size() - 1).grad());
        // Double back-propagation through max pooling and batch norm (training), with a cross-entropy loss.
        Tensor labels = Tensor.fromArray(new long[] {1, 0, 2}, new int[] {3}, REF);
        checkSecondOrder(in -> F.crossEntropy(F.linear(F.maxPool2d(F.batchNorm(F.conv2d(in[0], in[1], null, ConvOptions.DEFAULT.padding(1)),
                null, null, null, null, true, 0.1, 1e-5).relu(), PoolOptions.of(2)).flatten(1), in[2], null), labels),
                randn(16, 3, 1, 4, 4), randn(17, 2, 1, 3, 3), randn(18, 3, 8));
    }
}
