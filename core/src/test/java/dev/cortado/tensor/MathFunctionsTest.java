package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gradients of tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, exp2, log2, log10 and
 * erfc against finite differences, inside each domain. PyTorch's values at the edges are checked
 * on every backend by the backend contract.
 */
class MathFunctionsTest extends OnReference {
    @Test
    void gradientsAgreeWithFiniteDifferences() {
        Tensor any = Tensor.randn(3, 4);
        Tensor unit = Tensor.rand(3, 4).mul(1.6).sub(0.8);
        Tensor aboveOne = Tensor.rand(3, 4).mul(3).add(1.2);
        Tensor positive = Tensor.rand(3, 4).add(0.2);
        check(in -> in[0].tan(), unit);
        check(in -> in[0].asin(), unit);
        check(in -> in[0].acos(), unit);
        check(in -> in[0].atan(), any);
        check(in -> in[0].sinh(), any);
        check(in -> in[0].cosh(), any);
        check(in -> in[0].asinh(), any.mul(3));
        check(in -> in[0].acosh(), aboveOne);
        check(in -> in[0].atanh(), unit);
        check(in -> in[0].exp2(), any);
        check(in -> in[0].log2(), positive);
        check(in -> in[0].log10(), positive);
        check(in -> in[0].erfc(), any);
        check(in -> in[0].lgamma(), positive.mul(3));
        check(in -> in[0].lgamma(), Tensor.fromArray(new float[] {-2.5f, -1.3f, -0.4f}, 3));
        check(in -> in[0].digamma(), positive.mul(3));
        check(in -> in[0].polygamma(1).add(in[0].polygamma(2)), positive.add(0.5));
        check(in -> in[0].erfinv(), unit);
    }

    /** polygamma against PyTorch 1.13 (which computes n = 1 by its own reflection, so the poles below 0 are left out here). */
    @Test
    void polygammaMatchesPyTorch() {
        Tensor x = Tensor.fromArray(new float[] {-2.5f, -0.5f, 1e-8f, 0.3f, 0.999f, 1, 1.5f, 3, 10, 100, Float.POSITIVE_INFINITY}, 11);
        float[] trigamma = {9.539247512817383f, 8.934802055358887f, 1.0000001346306048e+16f, 12.245363235473633f, 1.6473413705825806f,
            1.644934058189392f, 0.934802234172821f, 0.3949340581893921f, 0.10516633093357086f, 0.01005016639828682f, 0};
        float[] tetragamma = {-0.10820405185222626f, -0.8287966251373291f, -2.0000000276968557e+24f, -75.27252960205078f, -2.4106202125549316f,
            -2.40411376953125f, -0.8287966251373291f, -0.1541137993335724f, -0.01104983501136303f, -0.00010100499639520422f, 0};
        assertRelative("polygamma(1)", trigamma, x.polygamma(1).toFloatArray());
        assertRelative("polygamma(2)", tetragamma, x.polygamma(2).toFloatArray());
        assertEquals(Float.POSITIVE_INFINITY, Tensor.fromArray(new float[] {-1}, 1).polygamma(1).item(), "a pole (PyTorch's reflection gives 1.3e15)");
        assertEquals(Float.POSITIVE_INFINITY, Tensor.zeros(1).polygamma(1).item());
        dev.cortado.testing.Inputs.assertMessage(() -> x.polygamma(-1), "polygamma: n must be non-negative, got -1");
    }

    private static void assertRelative(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-6 * Math.abs(expected[i]), what + " at " + i);
        }
    }


    @Test
    void integersBecomeFloats() {
        Tensor ints = Tensor.arange(4);
        assertEquals(DType.FLOAT32, ints.exp2().dtype());
        assertEquals(3, ints.exp2().toFloatArray()[3] - 5, 0);
        assertEquals(1, ints.log2().toFloatArray()[2], 0);
    }
}
