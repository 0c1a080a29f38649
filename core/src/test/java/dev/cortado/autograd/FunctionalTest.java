package dev.cortado.autograd;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Jacobians, Hessians and their vector products against closed forms (double precision, reference backend). */
class FunctionalTest extends OnReference {
    private static Tensor randn(long seed, int... shape) {
        return dev.cortado.testing.Inputs.randn(seed, ReferenceBackend.DEVICE, shape);
    }

    @Test
    void jacobianOfALinearMapIsItsMatrix() {
        Tensor a = randn(1, 3, 4);
        Tensor x = randn(2, 4);
        Tensor j = Functional.jacobian(v -> a.matmul(v), x);
        assertArrayEquals(new int[] {3, 4}, j.shape());
        assertClose("d (A x) / d x", j, a, 1e-12);
    }

    @Test
    void jacobianOfAnElementwiseMapIsDiagonalAndShapedOutputThenInput() {
        Tensor x = randn(3, 2, 3);
        Tensor j = Functional.jacobian(Tensor::sin, x);
        assertArrayEquals(new int[] {2, 3, 2, 3}, j.shape());
        assertClose("diag(cos x)", j.reshape(6, 6), x.cos().reshape(-1).diag(0), 1e-12);
    }

    @Test
    void jacobianWithSeveralInputsAndAnUnusedOne() {
        Tensor a = randn(4, 2, 3);
        Tensor b = randn(5, 3);
        Tensor unused = randn(6, 5);
        Tensor[] j = Functional.jacobian(in -> in[0].mul(in[1]).sum(1), a, b, unused);
        // d/da[i][k] of sum_k a[i][k] b[k] is b[k] on row i; d/db[k] is a[i][k].
        Tensor expectedA = Tensor.zeros(new int[] {2, 2, 3}, a.dtype(), a.device());
        expectedA.select(0, 0).select(0, 0).copy_(b);
        expectedA.select(0, 1).select(0, 1).copy_(b);
        assertClose("d/da", j[0], expectedA, 1e-12);
        assertClose("d/db", j[1], a, 1e-12);
        assertClose("d/d unused", j[2], Tensor.zeros(new int[] {2, 5}, a.dtype(), a.device()), 0);
    }

    @Test
    void hessianOfACubicAndOfAQuadraticForm() {
        Tensor x = randn(7, 4);
        assertClose("diag(6 x)", Functional.hessian(v -> v.pow(3).sum(), x), x.mul(6).diag(0), 1e-12);
        Tensor a = randn(8, 4, 4);
        Tensor h = Functional.hessian(v -> v.matmul(a.matmul(v)), x);
        assertClose("A + Aᵀ", h, a.add(a.t()), 1e-12);
        // A linear function has a zero Hessian, and a constant one too.
        assertClose("linear", Functional.hessian(v -> v.mul(3).sum(), x), Tensor.zeros(new int[] {4, 4}, x.dtype(), x.device()), 0);
        assertClose("constant", Functional.hessian(v -> a.sum(), x), Tensor.zeros(new int[] {4, 4}, x.dtype(), x.device()), 0);
    }

    @Test
    void vectorProductsAgreeWithTheFullMatrices() {
        Tensor x = randn(9, 5);
        Tensor v = randn(10, 5);
        Tensor w = randn(11, 3);
        Tensor a = randn(12, 3, 5);
        java.util.function.UnaryOperator<Tensor> f = t -> a.matmul(t.tanh()).exp();
        Tensor j = Functional.jacobian(f, x);
        assertClose("J v", Functional.jvp(f, x, v), j.matmul(v), 1e-10);
        assertClose("wᵀ J", Functional.vjp(f, x, w), w.matmul(j), 1e-10);
        java.util.function.UnaryOperator<Tensor> loss = t -> f.apply(t).sum().log();
        assertClose("H v", Functional.hvp(loss, x, v), Functional.hessian(loss, x).matmul(v), 1e-10);
    }

    @Test
    void theInputsGraphAndGradAreUntouched() {
        Tensor x = randn(13, 3).requiresGrad_(true);
        Tensor y = x.mul(2);
        Tensor h = Functional.hessian(v -> v.pow(4).sum(), y);
        assertNull(x.grad());
        assertFalse(h.requiresGrad());
        y.sum().backward();
        assertClose("x's own graph still runs", x.grad(), Tensor.fromArray(new double[] {2, 2, 2}, new int[] {3}, ReferenceBackend.DEVICE), 0);
    }

    @Test
    void createGraphResultsAreDifferentiableInTheInputs() {
        Tensor x = randn(16, 4).requiresGrad_(true);
        Tensor v = randn(17, 4).requiresGrad_(true);
        // sum of d sin(x) / d x = sum cos x, whose gradient is -sin x.
        Tensor j = Functional.jacobian(Tensor::sin, x, true);
        assertClose("jacobian's gradient", Gradients.grad(j.sum(), x)[0], x.detach().sin().neg(), 1e-12);
        // sum of diag(12 x²) has gradient 24 x: a third derivative.
        Tensor h = Functional.hessian(t -> t.pow(4).sum(), x, true);
        assertClose("hessian's gradient", Gradients.grad(h.sum(), x)[0], x.detach().mul(24), 1e-12);
        // vᵀ J for f = x³ is 3 x² v; its sum has gradient 6 x v in x and 3 x² in v, and so does J v.
        Tensor xd = x.detach();
        Tensor vd = v.detach();
        for (String op : new String[] {"vjp", "jvp"}) {
            Tensor p = op.equals("vjp") ? Functional.vjp(t -> t.pow(3), x, v, true) : Functional.jvp(t -> t.pow(3), x, v, true);
            assertClose(op, p, xd.pow(2).mul(3).mul(vd), 1e-12);
            Tensor[] g = Gradients.grad(List.of(p.sum()), List.of(x, v), null, false, false, false);
            assertClose(op + " in x", g[0], xd.mul(6).mul(vd), 1e-12);
            assertClose(op + " in v", g[1], xd.pow(2).mul(3), 1e-12);
        }
        // H v for sum x⁴ is 12 x² v, with gradient 24 x v in x.
        Tensor hv = Functional.hvp(t -> t.pow(4).sum(), x, v, true);
        assertClose("hvp's gradient", Gradients.grad(hv.sum(), x)[0], xd.mul(24).mul(vd), 1e-12);
        // Without createGraph nothing leads back, and x's grad() stays untouched throughout.
        assertFalse(Functional.hessian(t -> t.pow(4).sum(), x).requiresGrad());
        assertFalse(Functional.jvp(t -> t.pow(3), x, v).requiresGrad());
        assertNull(x.grad());
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Tensor x = randn(14, 3);
        assertMessage(() -> Functional.hessian(Tensor::exp, x), "hessian: the function must return a single value, got shape (3,)");
        assertMessage(() -> Functional.hvp(v -> v.sum(), x, randn(15, 2)), "hvp: v has shape (2,) but x has shape (3,); they must match");
        assertMessage(() -> Functional.vjp(v -> v.sum(), x, x), "vjp: v has shape (3,) but f(x) has shape (); they must match");
        assertMessage(() -> Functional.jacobian(v -> null, x), "jacobian: the function returned null; it must return a tensor");
        assertMessage(() -> Functional.jacobian(v -> v, x.to(dev.cortado.tensor.DType.INT64)), "autograd.functional: input 0 has dtype int64; derivatives need floating-point inputs");
    }
}
