package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** einsum against PyTorch 1.13: the output's shape and sum, and the inputs' gradients (for an output gradient wave) dotted with waves. */
class EinsumTest extends OnReference {
    /** equation, operand shapes, then PyTorch's output shape, sum and gradient sum. */
    private static final Object[][] CASES = {
        {"ij,jk->ik", new int[][] {{3, 4}, {4, 5}}, new int[] {3, 5}, 0.9502757787704468, -0.401132196187973},
        {"bij,bjk->bik", new int[][] {{2, 3, 4}, {2, 4, 5}}, new int[] {2, 3, 5}, 0.9964362978935242, 0.07341012358665466},
        {"ii->i", new int[][] {{4, 4}}, new int[] {4}, -0.23780065774917603, 0.12069910764694214},
        {"ii", new int[][] {{4, 4}}, new int[] {}, -0.23780065774917603, 0.9204294085502625},
        {"ij->", new int[][] {{3, 4}}, new int[] {}, 3.872166395187378, 1.21819007396698},
        {"i,j->ij", new int[][] {{3}, {4}}, new int[] {3, 4}, 2.736297845840454, 1.970743477344513},
        {"...ij,...jk->...ik", new int[][] {{2, 1, 3, 4}, {5, 4, 2}}, new int[] {2, 5, 3, 2}, -0.13675951957702637, 5.740977704524994},
        {"bhqd,bhkd->bhqk", new int[][] {{2, 2, 3, 4}, {2, 2, 5, 4}}, new int[] {2, 2, 3, 5}, -0.4572010040283203, 8.377005815505981},
        {"iij->ji", new int[][] {{3, 3, 4}}, new int[] {4, 3}, 2.005309820175171, 0.7845050096511841},
        {"abc,cd,de->abe", new int[][] {{2, 3, 4}, {4, 5}, {5, 2}}, new int[] {2, 3, 2}, 3.608370542526245, 1.6526030004024506},
        {"i,i->", new int[][] {{6}, {6}}, new int[] {}, -0.11505025625228882, 0.3406813144683838},
        {"ij,jk", new int[][] {{3, 4}, {4, 2}}, new int[] {3, 2}, 0.9297360181808472, 1.2062867879867554},
        {"ba", new int[][] {{3, 4}}, new int[] {4, 3}, 3.872166395187378, -0.03893524408340454},
        {"ij,j->ij", new int[][] {{3, 4}, {1}}, new int[] {3, 4}, 3.872166395187378, 1.4713967740535736},
        {"i j , j k -> i k", new int[][] {{2, 3}, {3, 2}}, new int[] {2, 2}, 1.0652177333831787, -0.5262002497911453},
        {"...,...->...", new int[][] {{3, 1}, {1, 4}}, new int[] {3, 4}, 2.736297845840454, 1.970743477344513},
        {"bn,anm,bm->ba", new int[][] {{2, 3}, {4, 3, 5}, {2, 5}}, new int[] {2, 4}, 3.8397393226623535, -1.1816155910491943},
        {"Ab,bA->A", new int[][] {{3, 4}, {4, 3}}, new int[] {3}, -0.8801568746566772, -0.08551487326622009},
        {"ij,ij,ij->i", new int[][] {{2, 3}, {2, 3}, {2, 3}}, new int[] {2}, 0.2531818151473999, -0.06211894750595093},
    };

    @Test
    void matchesPyTorch() {
        for (Object[] c : CASES) {
            String eq = (String) c[0];
            int[][] shapes = (int[][]) c[1];
            Tensor[] ops = new Tensor[shapes.length];
            for (int i = 0; i < ops.length; i++) {
                ops[i] = wave(Math.max(1, Shapes.numel(shapes[i])), 0.37 + 0.1 * i, i % 2 == 1, shapes[i]).requiresGrad_(true);
            }
            Tensor y = Tensor.einsum(eq, ops);
            assertArrayEquals((int[]) c[2], y.shape(), eq + " shape");
            Tensor wt = y.dim() > 0 ? wave(y.numel(), 0.11, false, y.shape()) : Tensor.scalar(1);
            y.mul(wt).sum().backward();
            double grads = 0;
            for (Tensor t : ops) {
                grads += t.grad().mul(wave(t.numel(), 0.77, true, t.shape())).sum().item();
            }
            assertEquals((double) c[3], y.sum().item(), 1e-5 * (1 + Math.abs((double) c[3])), eq + " sum");
            assertEquals((double) c[4], grads, 1e-5 * (1 + Math.abs((double) c[4])), eq + " gradients");
        }
    }

    @Test
    void agreesWithTheOpsItStandsFor() {
        Tensor a = Tensor.randn(2, 3, 4);
        Tensor b = Tensor.randn(2, 4, 5);
        assertClose("bmm", Tensor.einsum("bij,bjk->bik", a, b), a.bmm(b), 1e-6);
        assertClose("transpose", Tensor.einsum("bij->bji", a), a.transpose(1, 2), 0);
        assertClose("trace", Tensor.einsum("ii", a.select(0, 0).narrow(1, 0, 3)), a.select(0, 0).narrow(1, 0, 3).trace(), 1e-6);
        check(in -> Tensor.einsum("bn,anm,bm->ba", in[0], in[1], in[2]), Tensor.randn(2, 3), Tensor.randn(2, 3, 2), Tensor.randn(2, 2));
        check(in -> Tensor.einsum("iij->j", in[0]), Tensor.randn(2, 2, 3));
    }

    @Test
    void badEquationsAreNamed() {
        assertMessage(() -> Tensor.einsum("ij,jk->ik", Tensor.ones(3, 4), Tensor.ones(5, 5)),
                "einsum(): subscript j has size 5 for operand 1 which does not broadcast with previously seen size 4");
        assertMessage(() -> Tensor.einsum("ij->ik", Tensor.ones(3, 4)), "einsum(): output subscript k does not appear in the equation for any input operand");
        assertMessage(() -> Tensor.einsum("ij,jk", Tensor.ones(3, 4)), "einsum(): the equation 'ij,jk' has 2 operand(s), but 1 tensor(s) were given");
        assertMessage(() -> Tensor.einsum("i->ii", Tensor.ones(3)), "einsum(): output subscript i appears more than once in the output");
        assertMessage(() -> Tensor.einsum("ij", Tensor.ones(3, 4, 5)),
                "einsum(): the number of subscripts in the equation (2) does not match the number of dimensions (3) for operand 0 and no ellipsis was given");
        assertMessage(() -> Tensor.einsum("i.j", Tensor.ones(3, 4)), "einsum(): found '.' in 'i.j' that is not part of any ellipsis");
        assertMessage(() -> Tensor.einsum("ij->i->j", Tensor.ones(3, 4)), "einsum(): invalid subscript '-'");
        assertMessage(() -> Tensor.einsum("ii->i", Tensor.ones(3, 4)), "einsum(): subscript i is repeated for an operand but the sizes don't match, 3 != 4");
        assertMessage(() -> Tensor.einsum("i2", Tensor.ones(3, 4)), "einsum(): invalid subscript '2'");
    }
}
