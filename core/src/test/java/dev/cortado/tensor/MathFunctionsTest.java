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
    }

    @Test
    void integersBecomeFloats() {
        Tensor ints = Tensor.arange(4);
        assertEquals(DType.FLOAT32, ints.exp2().dtype());
        assertEquals(3, ints.exp2().toFloatArray()[3] - 5, 0);
        assertEquals(1, ints.log2().toFloatArray()[2], 0);
    }
}
