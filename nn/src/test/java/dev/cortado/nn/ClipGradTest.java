package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** clip_grad_norm_ and clip_grad_value_ against values printed by PyTorch 1.13. */
class ClipGradTest extends OnReference {
    /** Gradients (1, 2, 3; 4, 5, 6), (8, −4), and a parameter without one. */
    private static List<Tensor> params() {
        Tensor a = Tensor.fromArray(new float[] {0.5f, -1.5f, 2, 3, 0.25f, -0.75f}, 2, 3).requiresGrad_(true);
        Tensor b = Tensor.fromArray(new float[] {4, -2}, 2).requiresGrad_(true);
        Tensor c = Tensor.fromArray(new float[] {1}, 1).requiresGrad_(true);
        a.mul(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        b.mul(b).sum().backward();
        return List.of(a, b, c);
    }

    private static void check(double normType, double maxNorm, double total, float... expected) {
        List<Tensor> ps = params();
        Tensor t = ClipGrad.clipGradNorm_(ps, maxNorm, normType, false);
        assertEquals(total, t.item(), 1e-6 * total, "total " + normType + "-norm");
        assertClose("clipped gradients (" + normType + ", " + maxNorm + ")", Tensor.cat(List.of(ps.get(0).grad().reshape(-1), ps.get(1).grad()), 0),
                Tensor.fromArray(expected, 8), 1e-6);
    }

    @Test
    void clipGradNormMatchesPyTorch() {
        check(2, 1, 13.0767, 0.0764719f, 0.1529438f, 0.2294157f, 0.3058876f, 0.3823595f, 0.4588314f, 0.6117752f, -0.3058876f);
        check(1, 1, 33, 0.030303f, 0.0606061f, 0.0909091f, 0.1212121f, 0.1515152f, 0.1818182f, 0.2424242f, -0.1212121f);
        check(3, 1, 10.05635, 0.0994397f, 0.1988793f, 0.298319f, 0.3977586f, 0.4971983f, 0.596638f, 0.7955173f, -0.3977586f);
        check(Double.POSITIVE_INFINITY, 1, 8, 0.125f, 0.25f, 0.3749999f, 0.4999999f, 0.6249999f, 0.7499999f, 0.9999999f, -0.4999999f);
        // Under the limit the gradients keep their values.
        check(2, 100, 13.0767, 1, 2, 3, 4, 5, 6, 8, -4);
        assertEquals(0, ClipGrad.clipGradNorm_(List.of(Tensor.ones(2).requiresGrad_(true)), 1).item());
    }

    @Test
    void clipGradValueMatchesPyTorch() {
        List<Tensor> ps = params();
        ClipGrad.clipGradValue_(ps, 3.5);
        assertClose("clamped", Tensor.cat(List.of(ps.get(0).grad().reshape(-1), ps.get(1).grad()), 0),
                Tensor.fromArray(new float[] {1, 2, 3, 3.5f, 3.5f, 3.5f, 3.5f, -3.5f}, 8), 0);
    }

    @Test
    void errorsNameTheRule() {
        List<Tensor> ps = params();
        try (var off = dev.cortado.autograd.GradMode.off()) {
            ps.get(1).grad().copy_(Tensor.fromArray(new float[] {Float.NaN, 1}, 2));
        }
        assertMessage(() -> ClipGrad.clipGradNorm_(ps, 1, 2, true), "clip_grad_norm_", "non-finite", "NaN", "errorIfNonfinite");
        assertMessage(() -> ClipGrad.clipGradNorm_(ps, 1, 0, false), "clip_grad_norm_", "norm_type", "positive");
        assertMessage(() -> ClipGrad.clipGradValue_(ps, -1), "clip_grad_value_", "non-negative");
    }
}
