package dev.cortado.autograd;

import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Normalization;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.ValuesIndices;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PyTorch's saved-tensor check: a backward whose saved tensor was modified in place since the
 * forward pass, through any view, refuses to run instead of returning a wrong gradient; tensors
 * a backward does not read may change freely.
 */
class SavedVersionsTest extends OnReference {
    private static Tensor leaf(float... v) {
        return Tensor.fromArray(v, v.length).requiresGrad_(true);
    }

    @Test
    void versionsCountInPlaceWritesAcrossViews() {
        Tensor t = Tensor.zeros(2, 3);
        assertEquals(0, t.version());
        t.add_(1);
        Tensor view = t.narrow(1, 1, 2);
        Tensor detached = t.detach();
        assertEquals(1, view.version());
        view.fill_(5);
        detached.mul_(2);
        assertEquals(3, t.version());
        assertEquals(3, t.t().version());
        assertEquals(0, t.add(1).version(), "an op's result has a count of its own");
        assertEquals(0, t.clone().version());
    }

    @Test
    void aSavedOutputModifiedThroughADetachRefusesTheBackward() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.exp();
        y.detach().narrow(0, 1, 1).fill_(0);
        assertMessage(() -> y.sum().backward(), "backward", "ExpBackward0", "float32 of shape (3,)", "in-place",
                "version 1, expected version 0", "clone()");
    }

    @Test
    void aSavedOperandModifiedWithoutGradRefusesTheBackward() {
        Tensor x = leaf(1, 2, 3);
        Tensor w = Tensor.fromArray(new float[] {4, 5, 6}, 3);
        Tensor y = x.mul(w);
        w.mul_(2);
        assertMessage(() -> y.sum().backward(), "MulBackward0", "version 1, expected version 0");

        Tensor r = x.relu();
        try (var off = GradMode.off()) {
            r.add_(1);
        }
        assertMessage(() -> r.sum().backward(), "ReluBackward0");
    }

    @Test
    void tensorsTheBackwardDoesNotReadMayChange() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        Tensor w = leaf(4, 5, 6);
        Tensor y = a.mul(w).add(a);
        try (var off = GradMode.off()) {
            w.mul_(10); // MulBackward0 reads only a for w's gradient
        }
        y.sum().backward();
        assertArrayEquals(new float[] {1, 2, 3}, w.grad().toFloatArray());

        Tensor x = leaf(1, 2);
        Tensor c = Tensor.fromArray(new float[] {1, 1}, 2);
        Tensor z = x.add(c).mul(3);
        c.add_(5);
        z.sum().backward();
        assertArrayEquals(new float[] {3, 3}, x.grad().toFloatArray());
    }

    /** As in PyTorch: an optimizer's in-place step between two backward passes of one retained graph is caught. */
    @Test
    void aStepBetweenTwoBackwardPassesOfARetainedGraphIsRefused() {
        Tensor x = Tensor.fromArray(new float[] {1, -2, 3, 0.5f}, 2, 2);
        Tensor w1 = leaf(0.5f, -1, 2, 1).reshape(2, 2).detach().requiresGrad_(true);
        Tensor w2 = leaf(1, 2, 3, 4).reshape(2, 2).detach().requiresGrad_(true);
        Tensor loss = x.matmul(w1).relu().matmul(w2).sum();
        loss.backward(Tensor.scalar(1), true);
        try (var off = GradMode.off()) {
            w2.sub_(w2.grad().mul(0.1));
        }
        assertMessage(() -> loss.backward(), "MmBackward0", "(2, 2)", "version 1, expected version 0");
    }

    @Test
    void poolingAndConvolutionCheckWhatTheyRead() {
        Tensor x = dev.cortado.testing.Inputs.randn(3, dev.cortado.testing.ReferenceBackend.DEVICE, 1, 1, 4, 4).requiresGrad_(true);
        ValuesIndices pooled = Pooling.maxPool2dWithIndices(x, PoolOptions.of(2));
        pooled.indices().zero_();
        assertMessage(() -> pooled.values().sum().backward(), "MaxPool2DWithIndicesBackward0", "int64 of shape (1, 1, 2, 2)");

        // Max pooling of a ReLU's output takes the ReLU's backward along: it reads that output.
        Tensor r = x.relu();
        Tensor p = Pooling.maxPool2d(r, PoolOptions.of(2));
        r.detach().fill_(1);
        assertMessage(() -> p.sum().backward(), "ReluBackward0", "(1, 1, 4, 4)");

        // Evaluation reads the running statistics, which a training step then moves.
        Tensor mean = Tensor.zeros(1);
        Tensor var = Tensor.ones(1);
        Tensor evaluated = Normalization.batchNorm(x, mean, var, null, null, false, 0.1, 1e-5);
        Normalization.batchNorm(x, mean, var, null, null, true, 0.1, 1e-5);
        assertMessage(() -> evaluated.sum().backward(), "NativeBatchNormBackward0", "(1,)");

        Tensor w = dev.cortado.testing.Inputs.randn(4, dev.cortado.testing.ReferenceBackend.DEVICE, 2, 1, 3, 3);
        Tensor y = Convolution.conv2d(x, w, null, ConvOptions.DEFAULT);
        w.mul_(2);
        assertMessage(() -> y.sum().backward(), "ConvolutionBackward0", "(2, 1, 3, 3)");
    }
}
