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
 * of what is added into it, views and their bases follow each other's updates, and what PyTorch
 * refuses is refused.
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
    void refusalsThatStandAsInPyTorch() {
        Tensor x = leaf(1, 2, 3, 4);
        assertMessage(() -> x.add_(1), "add_", "leaf", "GradMode.off()");
        assertMessage(() -> x.narrow(0, 0, 2).add_(1), "add_", "a view of a leaf tensor that requires grad");
        assertMessage(() -> Tensor.arange(4).add_(x), "add_", "int64");
        Tensor h = x.mul(1);
        Tensor quiet;
        try (var off = GradMode.off()) {
            quiet = h.narrow(0, 0, 2);
        }
        assertMessage(() -> quiet.add_(x.narrow(0, 0, 2)), "add_", "a view made with grad mode off");
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

    private static Tensor x() {
        return leaf(1, 2, 3, 4);
    }

    private static void gradient(String what, Tensor x, float... expected) {
        assertClose(what, x.grad(), Tensor.fromArray(expected, expected.length), 1e-6);
    }

    /** Views and their bases updated in place, each case with the gradient PyTorch 1.13 gives for the same code. */
    @Test
    void viewsAndTheirBasesFollowEachOthersUpdates() {
        // h.mul_(x) after v = h.view(2, 2): v's node is re-derived from h's new one (PyTorch's AsStridedBackward0).
        Tensor x = x();
        Tensor h = x.mul(2);
        Tensor v = h.reshape(2, 2);
        h.mul_(x);
        assertEquals("AsStridedBackward0", v.gradFn().name());
        v.mul(Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2)).sum().backward();
        gradient("base updated, old view read", x, 4, 16, 36, 64);
        // buf[1:3] += x[:2] * 3 into a buffer without grad: buf takes a CopySlices node.
        x = x();
        Tensor buf = Tensor.zeros(4);
        buf.narrow(0, 1, 2).add_(x.narrow(0, 0, 2).mul(3));
        assertEquals("CopySlices", buf.gradFn().name());
        buf.mul(Tensor.fromArray(new float[] {1, 2, 3, 4}, 4)).sum().backward();
        gradient("view of a buffer updated", x, 6, 9, 0, 0);
        // Two overlapping views: one updated, the other read.
        x = x();
        Tensor g = x.mul(1);
        Tensor a = g.narrow(0, 0, 2);
        Tensor b = g.narrow(0, 1, 2);
        a.mul_(x.narrow(0, 2, 2));
        assertClose("the other view sees the update", b.detach(), Tensor.fromArray(new float[] {8, 3}, 2), 0);
        b.mul(Tensor.fromArray(new float[] {1, 10}, 2)).sum().backward();
        gradient("one view updated, another read", x, 0, 4, 10, 2);
        // A preallocated output filled row by row.
        x = x();
        Tensor out = Tensor.zeros(2, 3);
        out.select(0, 0).copy_(x.narrow(0, 0, 3).mul(2));
        out.select(0, 1).copy_(x.narrow(0, 1, 3).exp());
        out.mul(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        gradient("rows copied in", x, 2, 33.55622482299805f, 106.42768859863281f, 327.58892822265625f);
        // A view of a view: a column of a reshaped tensor doubled.
        x = x();
        Tensor m = x.mul(1).reshape(2, 2);
        m.select(1, 0).mul_(2);
        m.sum().backward();
        gradient("column of a reshape updated", x, 2, 1, 2, 1);
        // fill_ on a view of a computed tensor, as PyTorch's FillBackward0: the filled elements pass no gradient back.
        x = x();
        Tensor f = x.mul(2);
        f.narrow(0, 1, 2).fill_(5);
        assertClose("filled values", f.detach(), Tensor.fromArray(new float[] {2, 5, 5, 8}, 4), 0);
        f.mul(Tensor.fromArray(new float[] {1, 2, 3, 4}, 4)).sum().backward();
        gradient("part filled", x, 2, 0, 0, 8);
        x = x();
        Tensor z = x.mul(2);
        z.zero_();
        assertEquals("FillBackward0", z.gradFn().name());
        z.add(x).sum().backward();
        gradient("zeroed, then x added", x, 1, 1, 1, 1);
        // relu_ on a computed tensor, as torch.relu_: the same tensor, now with ReluBackward0 (PyTorch: x.grad [2, 0, 6]).
        Tensor r0 = Tensor.fromArray(new float[] {1, -2, 3}, 3).requiresGrad_(true);
        Tensor doubled = r0.mul(2);
        org.junit.jupiter.api.Assertions.assertSame(doubled, doubled.relu_());
        assertEquals("ReluBackward0", doubled.gradFn().name());
        doubled.mul(Tensor.fromArray(new float[] {1, 2, 3}, 3)).sum().backward();
        assertClose("relu_", r0.grad(), Tensor.fromArray(new float[] {2, 0, 6}, 3), 0);
        assertMessage(() -> leaf(1, -1).relu_(), "relu_", "leaf");
        // An expand() made before the update: its three elements are one element of the base, and their gradients add up.
        x = x();
        Tensor k = x.mul(1);
        Tensor e = k.narrow(0, 0, 1).expand(3);
        k.mul_(3);
        e.sum().backward();
        gradient("expanded view of an updated base", x, 9, 0, 0, 0);
    }
}
