package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-place twins of elementwise ops: the out-of-place values written back, and the same gradients through autograd. */
class InPlaceTwinsTest extends OnReference {
    @Test
    void eachWritesItsOutOfPlaceResult() {
        check(Tensor::exp_, Tensor::exp);
        check(Tensor::sigmoid_, Tensor::sigmoid);
        check(Tensor::tanh_, Tensor::tanh);
        check(Tensor::sin_, Tensor::sin);
        check(Tensor::abs_, Tensor::abs);
        check(Tensor::neg_, Tensor::neg);
        check(Tensor::floor_, Tensor::floor);
        check(Tensor::round_, Tensor::round);
        check(t -> t.clamp_(-0.5, 0.5), t -> t.clamp(-0.5, 0.5));
        check(t -> t.pow_(2), t -> t.pow(2));
        check(t -> t.fmod_(0.7), t -> t.fmod(0.7));
        check(Tensor::square_, Tensor::square);
        Tensor mask = Tensor.fromArray(new float[] {1, 0, 0, 1}, 4);
        check(t -> t.maskedFill_(mask, 9), t -> t.maskedFill(mask, 9));
    }

    private static void check(UnaryOperator<Tensor> inPlace, UnaryOperator<Tensor> outOfPlace) {
        Tensor x = Tensor.fromArray(new float[] {-1.3f, 0.2f, 0.9f, 2.5f}, 4);
        Tensor expected = outOfPlace.apply(x);
        Tensor target = x.clone();
        assertSame(target, inPlace.apply(target), "returns the tensor itself");
        assertArrayEquals(expected.toFloatArray(), target.toFloatArray());
        assertEquals(1, target.version(), "one write counted");
    }

    @Test
    void oneHotByScatterAndGradientsThroughRecordedUpdates() {
        Tensor labels = Tensor.fromArray(new long[] {2, 0, 1}, 3, 1);
        Tensor oneHot = Tensor.zeros(3, 3).scatter_(1, labels, 1);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, oneHot.toFloatArray());

        // On a tensor the graph made: the update is recorded, on a copy of the old values its node reads.
        Tensor w = Tensor.fromArray(new float[] {0.5f, -1, 2}, 3).requiresGrad_(true);
        Tensor h = w.mul(2);
        h.sin_();
        h.sum().backward();
        assertArrayEquals(w.detach().mul(2).cos().mul(2).toFloatArray(), w.grad().toFloatArray(), 1e-6f);

        Tensor v = Tensor.fromArray(new float[] {0.5f, -1, 2}, 3).requiresGrad_(true);
        Tensor y = v.mul(1);
        y.clamp_(-0.5, 1);
        y.sum().backward();
        assertArrayEquals(new float[] {1, 0, 0}, v.grad().toFloatArray(), "clamp_'s gradient passes inside the range only");

        Tensor t1 = Tensor.fromArray(new float[] {1, 2, 3}, 3).requiresGrad_(true);
        Tensor acc = Tensor.zeros(3);
        acc.addcmul_(t1, t1, 0.5);
        assertTrue(acc.requiresGrad(), "an operand that requires grad puts the update in the graph");
        acc.sum().backward();
        assertArrayEquals(new float[] {1, 2, 3}, t1.grad().toFloatArray());
    }

    @Test
    void refusalsNameTheOp() {
        Tensor leaf = Tensor.ones(3).requiresGrad_(true);
        assertMessage(leaf::exp_, "exp_: a leaf tensor that requires grad is being used in an in-place operation");
        assertMessage(() -> leaf.normal_(0, 1), "copy_: a leaf tensor that requires grad");
        assertMessage(() -> Tensor.arange(3).exp_(), "exp_: result type float32 can't be cast to the desired output type int64");
        assertMessage(() -> Tensor.ones(3).expand(2, 3).sin_(), "sin_: more than one element of the destination");
        assertMessage(() -> Tensor.ones(3).maskedFill_(Tensor.ones(2, 3), 1), "masked_fill_: output with shape (3,) doesn't match the broadcast shape (2, 3)");
        assertMessage(() -> Tensor.ones(3).normal_(0, -1), "normal_: expects std >= 0.0");
        assertMessage(() -> Tensor.arange(3).uniform_(0, 1), "uniform_: draws floats; this tensor is int64");
        assertMessage(() -> Tensor.zeros(3).uniform_(2, 1), "uniform_: expects a finite [from, to) range with from <= to, got from=2.0, to=1.0");
        assertMessage(() -> Tensor.zeros(3).uniform_(0, Double.NaN), "uniform_: expects a finite [from, to) range");
        assertArrayEquals(new long[] {1, 0, 1}, Tensor.fromArray(new long[] {-1, 0, 1}, 3).abs_().toLongArray(), "int64 abs stays int64");
    }

    @Test
    void randomFillsDrawFromTheDefaultGenerator() {
        Cortado.manualSeed(11);
        Tensor u = Tensor.zeros(4000).uniform_(-2, 3);
        float[] v = u.toFloatArray();
        double sum = 0;
        for (float f : v) {
            assertTrue(f >= -2 && f < 3);
            sum += f;
        }
        assertEquals(0.5, sum / v.length, 0.1);
        Tensor n = Tensor.zeros(4000).normal_(1, 2);
        assertEquals(1, n.mean().item(), 0.15);
        assertEquals(2, n.std().item(), 0.15);
        Tensor w = Tensor.zeros(3).requiresGrad_(true);
        try (var off = GradMode.off()) {
            w.uniform_(0, 1);
        }
        assertTrue(w.isLeaf() && w.requiresGrad(), "an initialisation inside GradMode.off keeps the leaf");
    }
}
