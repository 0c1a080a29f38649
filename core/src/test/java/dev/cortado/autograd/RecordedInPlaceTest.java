package dev.cortado.autograd;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * In-place arithmetic during the forward pass goes into the graph, as in PyTorch: each form
 * gives the gradients of its out-of-place twin, a destination without grad picks up the graph
 * of what is added into it, and updates whose gradient would go stale are refused.
 */
class RecordedInPlaceTest extends OnReference {
    private static Tensor leaf(float... v) {
        return Tensor.fromArray(v, v.length).requiresGrad_(true);
    }

    /** Runs f on fresh leaves a and b, backward of a weighted sum, and returns [output, grad a, grad b]. */
    private static Tensor[] run(Function<Tensor[], Tensor> f) {
        Tensor a = leaf(1.5f, -2, 0.5f);
        Tensor b = leaf(-0.5f, 3, 2);
        Tensor out = f.apply(new Tensor[] {a, b});
        out.mul(Tensor.fromArray(new float[] {1, -2, 3}, 3)).sum().backward();
        return new Tensor[] {out.detach(), a.grad() == null ? Tensor.zeros(3) : a.grad(), b.grad() == null ? Tensor.zeros(3) : b.grad()};
    }

    private static void same(String what, Function<Tensor[], Tensor> inPlace, Function<Tensor[], Tensor> outOfPlace) {
        Tensor[] got = run(inPlace);
        Tensor[] want = run(outOfPlace);
        for (int i = 0; i < 3; i++) {
            assertClose(what + (i == 0 ? " value" : " gradient of input " + (i - 1)), got[i], want[i], 1e-12);
        }
    }

    /** Each update follows ops that do not read their outputs back (exp, ReLU and sigmoid do, and refuse, as in PyTorch). */
    @Test
    void eachFormGivesItsOutOfPlaceTwinsGradients() {
        // A ResNet block: out = bn2(conv2(...)); out += identity; relu(out), with nodes that do not read their output.
        same("out += identity", in -> {
            Tensor out = in[0].mul(in[1]).add(1);
            out.add_(in[1].tanh());
            return out.relu();
        }, in -> in[0].mul(in[1]).add(1).add(in[1].tanh()).relu());
        same("sub_", in -> in[0].mul(3).sub_(in[1]), in -> in[0].mul(3).sub(in[1]));
        same("mul_ by a tensor that requires grad", in -> in[0].add(1).mul_(in[1]).mul(in[0]), in -> in[0].add(1).mul(in[1]).mul(in[0]));
        same("div_", in -> in[0].add(3).div_(in[1]), in -> in[0].add(3).div(in[1]));
        same("add_ with alpha", in -> in[0].mul(1).add_(in[1], -0.5), in -> in[0].mul(1).add(in[1].mul(-0.5)));
        same("scalar forms", in -> in[0].mul(in[1]).mul_(3).add_(1).div_(4), in -> in[0].mul(in[1]).mul(3).add(1).div(4));
        same("a mask", in -> in[0].mul(1).mul_(Tensor.fromArray(new float[] {1, 0, 2}, 3)),
                in -> in[0].mul(Tensor.fromArray(new float[] {1, 0, 2}, 3)));
        same("twice", in -> {
            Tensor h = in[0].mul(in[0]);
            h.add_(in[1]);
            h.mul_(in[1]);
            return h;
        }, in -> in[0].mul(in[0]).add(in[1]).mul(in[1]));
    }

    /** The case that used to lose a gradient without a word: a buffer without grad that collects a graph's values. */
    @Test
    void aDestinationWithoutGradTakesTheGraphOfWhatGoesIn() {
        same("zeros += x", in -> {
            Tensor acc = Tensor.zeros(3);
            acc.add_(in[0].mul(in[1]));
            return acc.mul(in[0]);
        }, in -> in[0].mul(in[1]).mul(in[0]));
        same("copy_ of a broadcast source", in -> {
            Tensor buf = Tensor.zeros(2, 3);
            buf.copy_(in[0].exp());
            return buf.sum(0).mul(in[1]);
        }, in -> in[0].exp().mul(2).mul(in[1]));
        // Overwritten by data without grad, a computed tensor still leads back, with zeros, as PyTorch's CopyBackwards does.
        Tensor x = leaf(1, 2, 3);
        Tensor h = x.mul(2);
        h.copy_(Tensor.fromArray(new long[] {7, 8, 9}, 3));
        assertEquals("CopyBackwards", h.gradFn().name());
        h.mul(x).sum().backward();
        assertClose("only the product's own path", x.grad(), Tensor.fromArray(new float[] {7, 8, 9}, 3), 0);

        Tensor acc = Tensor.zeros(3);
        acc.add_(leaf(1, 2, 3));
        assertEquals("AddBackward0", acc.gradFn().name());
        assertEquals(1, acc.version());
    }

    @Test
    void updatesWhoseGradientWouldGoStaleAreRefused() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor h = x.mul(2);
        Tensor view = h.reshape(2, 2);
        assertMessage(() -> h.add_(1), "add_", "(4,)", "a view", "out-of-place");
        // A view of a buffer without grad would not see the update's graph either.
        Tensor buf = Tensor.zeros(4);
        Tensor half = buf.narrow(0, 0, 2);
        assertMessage(() -> buf.add_(x), "add_", "a view");
        assertMessage(() -> view.mul_(2), "mul_", "(2, 2)", "view");
        assertMessage(() -> x.mul(1).narrow(0, 1, 2).sub_(x.narrow(0, 0, 2)), "sub_", "view");
        assertMessage(() -> x.add_(1), "add_", "leaf", "GradMode.off()");
        assertMessage(() -> Tensor.arange(4).add_(x), "add_", "int64");
        // As in PyTorch: exp's and ReLU's backward read their outputs, which the updates changed.
        Tensor e = x.exp();
        e.add_(1);
        assertMessage(() -> e.sum().backward(), "ExpBackward0", "version 1, expected version 0");
        Tensor r = x.relu();
        r.mul_(2);
        assertMessage(() -> r.sum().backward(), "ReluBackward0", "version 1, expected version 0");
        // detach() makes plain data, not a view.
        Tensor free = x.mul(3);
        free.detach();
        free.add_(1);
        free.sum().backward();
        assertClose("gradient through the update", x.grad(), Tensor.fromArray(new float[] {3, 3, 3, 3}, 4), 0);
    }
}
