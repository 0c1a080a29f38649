package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** lerp, addcmul, addcdiv, the NaN and infinity masks and nan_to_num against what PyTorch 1.13 prints. */
class ElementwiseCompositesTest extends OnReference {
    private static final float INF = Float.POSITIVE_INFINITY;

    private static void values(String what, Tensor t, double... expected) {
        assertClose(what, t.detach(), Tensor.fromArray(expected, expected.length), 1e-6);
    }

    @Test
    void lerpIsExactAtBothEndsWithPyTorchsGradients() {
        Tensor s = Tensor.fromArray(new float[] {0.1f, -2.5f, 3.3f, 1e8f, -0.7f, 2}, 6).requiresGrad_(true);
        Tensor e = Tensor.fromArray(new float[] {1.7f, 0.3f, -4.1f, 1e8f + 8, 0.9f, 2}, 6).requiresGrad_(true);
        Tensor w = Tensor.fromArray(new float[] {0, 0.3f, 0.5f, 0.49999997f, 1, -0.6f}, 6).requiresGrad_(true);
        Tensor y = s.lerp(e, w);
        values("lerp", y, 0.10000000149011612, -1.659999966621399, -0.40000009536743164, 100000000.0, 0.8999999761581421, 2.0);
        y.backward(Tensor.arange(1.0, 7.0, 1));
        values("start's gradient", s.grad(), 1.0, 1.399999976158142, 1.5, 2.0, 0.0, 9.600000381469727);
        values("end's gradient", e.grad(), 0.0, 0.6000000238418579, 1.5, 1.9999998807907104, 5.0, -3.6000001430511475);
        values("weight's gradient", w.grad(), 1.600000023841858, 5.599999904632568, -22.19999885559082, 32.0, 7.999999523162842, 0.0);
        values("scalar weight", s.detach().lerp(e.detach(), 0.7), 1.2200000286102295, -0.5400000214576721, -1.8799998760223389, 100000008.0,
                0.41999998688697815, 2.0);
        check(in -> in[0].lerp(in[1], in[2]), Tensor.randn(4), Tensor.randn(4), Tensor.tensor(new float[] {0.1f, 0.7f, -0.2f, 1.3f}));
    }

    @Test
    void addcmulAndAddcdivMultiplyInPyTorchsOrder() {
        Tensor a = Tensor.tensor(new float[] {0.1f, 0.2f, 0.3f});
        Tensor t1 = Tensor.tensor(new float[] {0.7f, 1.3f, -2.9f});
        Tensor t2 = Tensor.tensor(new float[] {3.1f, 0.11f, 7.3f});
        values("addcmul", a.addcmul(t1, t2, 0.3), 0.7509999871253967, 0.24289999902248383, -6.051000595092773);
        values("addcdiv", a.addcdiv(t1, t2, 0.3), 0.16774193942546844, 3.745454788208008, 0.18082192540168762);
    }

    @Test
    void nanToNumReplacesWithPyTorchsDefaultsAndStopsTheirGradient() {
        Tensor x = Tensor.fromArray(new float[] {Float.NaN, INF, -INF, 1.5f, -0f}, 5).requiresGrad_(true);
        Tensor y = x.nanToNum();
        assertArrayEquals(new float[] {0, Float.MAX_VALUE, -Float.MAX_VALUE, 1.5f, -0f}, y.toFloatArray());
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(y.toFloatArray()[4]), "-0 kept");
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0, 0, 1, 1}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {2, 1000, -Float.MAX_VALUE, 1.5f, -0f}, x.detach().nanToNum(2.0, 1e3, null).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0}, x.detach().isnan().toFloatArray());
        assertArrayEquals(new float[] {0, 1, 1, 0, 0}, x.detach().isinf().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1}, x.detach().isfinite().toFloatArray());
    }
}
