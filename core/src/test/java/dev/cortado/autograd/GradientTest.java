package dev.cortado.autograd;

import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.cortado.autograd.Gradcheck.check;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Finite-difference checks (double precision, reference backend) for every differentiable op. */
class GradientTest extends OnReference {
    private static Tensor randn(long seed, int... shape) {
        return dev.cortado.testing.Inputs.randn(seed, ReferenceBackend.DEVICE, shape);
    }

    private static Tensor positive(long seed, int... shape) {
        return dev.cortado.testing.Inputs.uniform(seed, 0.5, 2.0, ReferenceBackend.DEVICE, shape);
    }

    static Stream<int[]> shapes() {
        return Stream.of(new int[] {5}, new int[] {3, 4}, new int[] {2, 3, 4}, new int[] {1, 1});
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void unaryOps(int[] shape) {
        Tensor x = randn(1, shape);
        Tensor p = positive(2, shape);
        check(in -> in[0].neg(), x);
        check(in -> in[0].abs(), x.add(0.01));
        check(in -> in[0].exp(), x);
        check(in -> in[0].log(), p);
        check(in -> in[0].sqrt(), p);
        check(in -> in[0].pow(3), x);
        check(in -> in[0].pow(-1.5), p);
        check(in -> in[0].clamp(-0.5, 0.5), x);
        check(in -> in[0].relu(), x);
        check(in -> in[0].leakyRelu(0.1), x);
        check(in -> in[0].sigmoid(), x);
        check(in -> in[0].tanh(), x);
        check(in -> in[0].square(), x);
        check(in -> in[0].erf(), x);
        check(in -> in[0].expm1(), x);
        check(in -> in[0].log1p(), p);
        check(in -> in[0].sin(), x);
        check(in -> in[0].cos(), x);
        // Away from the jumps, where finite differences see the flat steps.
        check(in -> in[0].mul(0.01).add(0.25).floor().add(in[0].mul(0.01).add(0.25).round()).add(in[0].mul(0.01).add(0.25).trunc())
                .add(in[0].mul(0.01).add(0.25).ceil()).add(in[0].mul(0.01).add(0.25).frac()), x.clamp(-1, 1));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void binaryOpsAndScalars(int[] shape) {
        Tensor a = randn(3, shape);
        Tensor b = randn(4, shape);
        Tensor p = positive(5, shape);
        check(in -> in[0].add(in[1]), a, b);
        check(in -> in[0].sub(in[1]), a, b);
        check(in -> in[0].mul(in[1]), a, b);
        check(in -> in[0].div(in[1]), a, p);
        check(in -> in[0].pow(in[1]), p, b);
        check(in -> in[0].mul(3).add(2).sub(1).div(4).rsub(1), a);
        check(in -> Tensor.where(in[0].gt(0), in[0], in[1]), a, b);
    }

    @Test
    void broadcasting() {
        check(in -> in[0].add(in[1]), randn(1, 3, 4), randn(2, 4));
        check(in -> in[0].mul(in[1]), randn(3, 3, 1), randn(4, 1, 5));
        check(in -> in[0].div(in[1]), randn(5, 2, 3, 4), positive(6, 3, 1));
        check(in -> in[0].sub(in[1]), randn(7, 4), randn(8, 2, 3, 4));
        check(in -> Tensor.where(in[0].gt(0), in[1], in[2]), randn(9, 3, 1), randn(10, 4), randn(11, 3, 4));
    }

    @Test
    void nonContiguousInputs() {
        check(in -> in[0].t().mul(in[1]), randn(1, 4, 3), randn(2, 3, 4));
        check(in -> in[0].permute(2, 0, 1).exp().sum(0), randn(3, 2, 3, 4));
        check(in -> in[0].flip(1).slice(0, 0, 4, 2).tanh(), randn(4, 4, 5));
        check(in -> in[0].narrow(1, 1, 2).expand(3, 2, 2).sigmoid(), randn(5, 2, 4));
        check(in -> in[0].select(1, 2).mul(in[0].select(1, 0)), randn(6, 3, 4));
    }

    @Test
    void reductions() {
        Tensor x = randn(1, 3, 4, 5);
        check(in -> in[0].sum(), x);
        check(in -> in[0].sum(1), x);
        check(in -> in[0].sum(new int[] {0, 2}, true), x);
        check(in -> in[0].mean(), x);
        check(in -> in[0].mean(new int[] {-1}, false), x);
        check(in -> in[0].max(), x);
        check(in -> in[0].min(), x);
        check(in -> in[0].max(1, false).values(), x);
        check(in -> in[0].min(2, true).values(), x);
        check(in -> in[0].var(true), x);
        check(in -> in[0].var(new int[] {1}, false, true), x);
        check(in -> in[0].std(new int[] {0, 1}, true, false), x);
    }

    /** PyTorch's std_backward: a constant slice (std 0) gets gradient 0, where sqrt's would make it NaN. */
    @Test
    void stdOfAConstantSliceHasNoGradient() {
        Tensor x = Tensor.fromArray(new float[] {2, 2, 2, 1, 2, 4}, 2, 3).requiresGrad_(true);
        Tensor s = x.std(new int[] {1}, true, false);
        s.backward(Tensor.fromArray(new float[] {1, 1}, 2));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 0, -0.4364358f, -0.1091089f, 0.5455447f},
                x.grad().toFloatArray(), 1e-6f);
        Tensor all = Tensor.fromArray(new float[] {3, 3, 3}, 3).requiresGrad_(true);
        all.std(false).backward();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 0}, all.grad().toFloatArray());
    }

    @Test
    void matmulInEveryForm() {
        check(in -> in[0].matmul(in[1]), randn(1, 3, 4), randn(2, 4, 5));
        check(in -> in[0].matmul(in[1]), randn(3, 4), randn(4, 4));
        check(in -> in[0].matmul(in[1]), randn(5, 4), randn(6, 4, 2));
        check(in -> in[0].matmul(in[1]), randn(7, 3, 4), randn(8, 4));
        check(in -> in[0].matmul(in[1]), randn(9, 2, 3, 4), randn(10, 4, 5));
        check(in -> in[0].matmul(in[1]), randn(11, 2, 1, 3, 4), randn(12, 3, 4, 2));
        check(in -> in[0].t().matmul(in[1].t()), randn(13, 4, 3), randn(14, 5, 4));
        // Column-major operands (a Linear layer's w.t()) get their gradients computed transposed.
        check(in -> in[0].matmul(in[1].t()), randn(15, 3, 4), randn(16, 5, 4));
        check(in -> in[0].t().matmul(in[1]), randn(17, 4, 3), randn(18, 4, 2));
    }

    @Test
    void softmaxFamily() {
        Tensor x = randn(1, 3, 5);
        check(in -> in[0].softmax(1), x);
        check(in -> in[0].softmax(0), x);
        check(in -> in[0].logSoftmax(1), x);
        check(in -> in[0].logSoftmax(-2), x);
    }

    @Test
    void viewsAndJoins() {
        Tensor x = randn(1, 2, 3, 4);
        check(in -> in[0].reshape(6, 4).mul(in[0].view(6, 4)), x);
        check(in -> in[0].flatten().exp(), x);
        check(in -> in[0].unsqueeze(1).squeeze().tanh(), x);
        check(in -> in[0].transpose(0, 2).contiguous().reshape(-1), x);
        check(in -> Tensor.cat(List.of(in[0], in[1].mul(2)), 1), x, randn(2, 2, 2, 4));
        check(in -> Tensor.stack(List.of(in[0], in[1]), 3), x, randn(3, 2, 3, 4));
        check(in -> in[0].pad(new int[] {1, 2, 0, 1}, PadMode.CONSTANT, 3), x);
        check(in -> in[0].pad(new int[] {-1, 1}, PadMode.CONSTANT, 0), x);
        check(in -> in[0].pad(new int[] {0, 0, 0, 0, 1, 1}, PadMode.CONSTANT, 0), x);
        check(in -> in[0].pad(new int[] {2, 3, 1, 2}, PadMode.REFLECT, 0), x);
        check(in -> in[0].pad(new int[] {2, 3, 1, 2}, PadMode.REPLICATE, 0), x);
        check(in -> in[0].pad(new int[] {2, 3, 1, 2}, PadMode.CIRCULAR, 0), x);
        check(in -> in[0].clone().add(1), x);
    }

    @Test
    void indexing() {
        Tensor x = randn(1, 2, 3, 4);
        Tensor index = Tensor.fromArray(new long[] {2, 0, 2, 1, 1, 1, 0, 2}, new int[] {2, 2, 2}, ReferenceBackend.DEVICE);
        check(in -> in[0].gather(1, index).exp(), x);
        check(in -> in[0].gather(2, index.flip(0)).mul(in[0].gather(1, index)), x);
        check(in -> in[0].indexSelect(1, Tensor.fromArray(new long[] {2, 2, 0}, new int[] {3}, ReferenceBackend.DEVICE)).square(), x);
        check(in -> in[0].scatterAdd(1, index, in[1]).square(), x, randn(2, 2, 2, 3));
        check(in -> in[0].maskedFill(in[0].gt(0.5), 2).mul(in[0]), x);
        check(in -> in[0].sort(1, false).values().exp(), x);
        check(in -> in[0].topk(2, -1, true).values().square(), x);
        check(in -> in[0].topk(1, 0, false).values().mul(in[0].sort(0, true).values().narrow(0, 0, 1)), x);
    }

    @Test
    void gradcheckCatchesAWrongFormula() {
        // sign has zero gradient; claiming sign's output is x (gradient 1) must be caught.
        Tensor x = randn(1, 4);
        assertThrows(AssertionError.class, () -> check(in -> in[0].sign().add(in[0].detach()), x.requiresGrad_(false)));
    }
}
