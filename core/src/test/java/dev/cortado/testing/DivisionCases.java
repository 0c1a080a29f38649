package dev.cortado.testing;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.function.BinaryOperator;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The values and gradients PyTorch 1.13 prints for fmod, remainder, div with rounding modes,
 * atan2 and hypot on the same fifteen pairs: signs, signed zeros, a zero divisor, infinities,
 * NaN, and quotients too large for a float's fraction. Rounded ops must give PyTorch's exact
 * bits; atan2 and hypot within 2 ulp (PyTorch's are 1-ulp approximations).
 */
final class DivisionCases {
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float NaN = Float.NaN;
    private static final float[] A = {5.5f, -5.5f, 5.5f, -5.5f, 0f, -0f, 3f, 7f, 1.0000000150474662e+30f, INF, NaN, 2f, -7299999989760f, 1f, -1f};
    private static final float[] B = {2f, 2f, -2f, -2f, 3f, 3f, 0f, INF, 3f, 2f, 1f, -0f, 0.3700000047683716f, 0.10000000149011612f,
            0.10000000149011612f};
    private static final float[] ONES = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    private static final float[] ZEROS = new float[15];

    private DivisionCases() {
    }

    static void check(Device device) {
        exact(device, "fmod", Tensor::fmod,
                new float[] {1.5f, -1.5f, 1.5f, -1.5f, 0f, -0f, NaN, 7f, 0f, NaN, NaN, NaN, -0.12878000736236572f, 0.09999998658895493f,
                        -0.09999998658895493f},
                ONES,
                new float[] {-2f, 2f, 2f, -2f, -0f, 0f, -INF, -0f, -3.333333383491554e+29f, -INF, NaN, INF, 19729729191936f, -10f, 10f});
        exact(device, "remainder", Tensor::remainder,
                new float[] {1.5f, 0.5f, -0.5f, -1.5f, 0f, -0f, NaN, 7f, 0f, NaN, NaN, NaN, 0.24121999740600586f, 0.09999998658895493f,
                        1.4901161193847656e-08f},
                ONES,
                new float[] {-2f, 3f, 3f, -2f, -0f, 0f, -INF, -0f, -3.333333383491554e+29f, NaN, NaN, INF, 19729729191936f, -9f, 10f});
        exact(device, "floor division", (a, b) -> a.div(b, "floor"),
                new float[] {2f, -3f, -3f, 2f, 0f, -0f, INF, 0f, 3.333333383491554e+29f, NaN, NaN, -INF, -19729729191936f, 9f, -10f},
                ZEROS, ZEROS);
        exact(device, "trunc division", (a, b) -> a.div(b, "trunc"),
                new float[] {2f, -2f, -2f, 2f, 0f, -0f, INF, 0f, 3.333333383491554e+29f, INF, NaN, -INF, -19729729191936f, 10f, -10f},
                ZEROS, ZEROS);
        close(device, "atan2", Tensor::atan2,
                new float[] {1.2220252752304077f, -1.2220252752304077f, 1.919567346572876f, -1.919567346572876f, 0f, -0f, 1.5707963705062866f, 0f,
                        1.5707963705062866f, 1.5707963705062866f, NaN, 1.5707963705062866f, -1.5707963705062866f, 1.4711276292800903f,
                        -1.4711276292800903f},
                new float[] {0.058394160121679306f, 0.058394160121679306f, -0.058394160121679306f, -0.058394160121679306f, 0.3333333432674408f,
                        0.3333333432674408f, 0f, NaN, 0f, 0f, NaN, -0f, 6.94314076837527e-27f, 0.09900990128517151f, 0.09900990128517151f},
                new float[] {-0.16058394312858582f, 0.16058394312858582f, -0.16058394312858582f, 0.16058394312858582f, -0f, 0f,
                        -0.3333333432674408f, -0f, -0f, NaN, NaN, -0.5f, 1.3698630175074805e-13f, -0.9900990128517151f, 0.9900990128517151f});
        close(device, "hypot", Tensor::hypot,
                new float[] {5.852349758148193f, 5.852349758148193f, 5.852349758148193f, 5.852349758148193f, 3f, 3f, 3f, INF,
                        1.0000000150474662e+30f, INF, NaN, 2f, 7299999989760f, 1.0049875974655151f, 1.0049875974655151f},
                new float[] {0.9397934675216675f, -0.9397934675216675f, 0.9397934675216675f, -0.9397934675216675f, 0f, -0f, 1f, 0f, 1f, NaN, NaN,
                        1f, -1f, 0.9950371384620667f, -0.9950371384620667f},
                new float[] {0.3417430818080902f, 0.3417430818080902f, -0.3417430818080902f, -0.3417430818080902f, 1f, 1f, 0f, NaN,
                        3.0000000095132306e-30f, 0f, NaN, -0f, 5.068493368065585e-14f, 0.09950371831655502f, 0.09950371831655502f});
        scalarDivisors(device);
        integers(device);
    }

    /** The same pairs by the scalar -2.5: the scalar goes to the backend as a number. */
    private static void scalarDivisors(Device device) {
        Tensor a = Tensor.fromArray(A, new int[] {15}, device);
        assertArrayEquals(new float[] {0.5f, -0.5f, 0.5f, -0.5f, 0f, -0f, 0.5f, 2f, 0f, NaN, NaN, 2f, -0f, 1f, -1f},
                a.fmod(-2.5).toFloatArray(), "fmod by -2.5 on " + device);
        assertArrayEquals(new float[] {-2f, -0.5f, -2f, -0.5f, 0f, -0f, -2f, -0.5f, 0f, NaN, NaN, -0.5f, -0f, -1.5f, -1f},
                a.remainder(-2.5).toFloatArray(), "remainder by -2.5 on " + device);
        assertArrayEquals(new float[] {-3f, 2f, -3f, 2f, -0f, 0f, -2f, -3f, -4.000000060189865e+29f, NaN, NaN, -1f, 2919999995904f, -1f, 0f},
                a.div(-2.5, "floor").toFloatArray(), "floor division by -2.5 on " + device);
        assertArrayEquals(new float[] {-2f, 2f, -2f, 2f, -0f, 0f, -1f, -2f, -4.000000060189865e+29f, -INF, NaN, -0f, 2919999995904f, -0f, 0f},
                a.div(-2.5, "trunc").toFloatArray(), "trunc division by -2.5 on " + device);
        Tensor leaf = Tensor.fromArray(A, new int[] {15}, device).requiresGrad_(true);
        leaf.fmod(2).add(leaf.remainder(-3)).add(leaf.div(2, "floor")).sum().backward();
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, leaf.grad().toFloatArray(),
                "fmod and remainder by a scalar pass the gradient; a rounded quotient's is 0");
    }

    /** int64 operands stay int64, with Python's signs; a zero divisor is refused, as PyTorch's ZeroDivisionError. */
    private static void integers(Device device) {
        Tensor a = Tensor.fromArray(new long[] {7, -7, 7, -7, 0}, new int[] {5}, device);
        Tensor b = Tensor.fromArray(new long[] {2, 2, -2, -2, 3}, new int[] {5}, device);
        assertEquals(DType.INT64, a.remainder(b).dtype());
        assertArrayEquals(new long[] {1, -1, 1, -1, 0}, a.fmod(b).toLongArray(), "int64 fmod on " + device);
        assertArrayEquals(new long[] {1, 1, -1, -1, 0}, a.remainder(b).toLongArray(), "int64 remainder on " + device);
        assertArrayEquals(new long[] {3, -4, -4, 3, 0}, a.div(b, "floor").toLongArray(), "int64 floor division on " + device);
        assertArrayEquals(new long[] {3, -4, -4, 3, 0}, a.floorDivide(b).toLongArray(), "floor_divide on " + device);
        assertArrayEquals(new long[] {3, -3, -3, 3, 0}, a.div(b, "trunc").toLongArray(), "int64 trunc division on " + device);
        assertArrayEquals(new long[] {1, 1, 1, 1, 0}, a.remainder(2).toLongArray(), "int64 remainder by a scalar on " + device);
        assertArrayEquals(new long[] {3, -4, 3, -4, 0}, a.div(2, "floor").toLongArray(), "int64 floor division by a scalar on " + device);
        assertEquals(DType.FLOAT32, a.fmod(2.5).dtype(), "a fractional scalar makes the result float32");
        assertArrayEquals(new float[] {2, -2, 2, -2, 0}, a.fmod(2.5).toFloatArray());
        assertEquals(DType.FLOAT32, a.atan2(b).dtype(), "atan2 of integers is float32");
        Tensor withZero = Tensor.fromArray(new long[] {0, 1, 1, 1, 1}, new int[] {5}, device);
        assertMessage(() -> a.remainder(withZero), "remainder: integer division by zero (the int64 divisor of shape (5,) holds a 0)");
        assertMessage(() -> a.div(withZero, "floor"), "floor_divide: integer division by zero");
        assertMessage(() -> a.fmod(0), "fmod: integer division by zero (an int64 tensor of shape (5,) divided by the scalar 0)");
        assertMessage(() -> a.div(b, "round"), "div: expected rounding_mode to be one of null, \"trunc\" or \"floor\", got \"round\"");
        assertMessage(() -> a.div(0.0, "floor"), "floor_divide: integer division by zero");
        Tensor floats = Tensor.fromArray(new float[] {7, -7, 0}, new int[] {3}, device);
        assertArrayEquals(new float[] {INF, -INF, NaN}, floats.div(0, "floor").toFloatArray(), "a float zero divisor gives IEEE's infinities");
        assertArrayEquals(new float[] {NaN, NaN, NaN}, floats.remainder(0).toFloatArray());
    }

    private static void exact(Device device, String name, BinaryOperator<Tensor> op, float[] out, float[] gradA, float[] gradB) {
        Tensor[] r = run(device, op);
        assertArrayEquals(out, r[0].toFloatArray(), name + " on " + device);
        assertArrayEquals(gradA, r[1].toFloatArray(), name + " gradient of a on " + device);
        assertArrayEquals(gradB, r[2].toFloatArray(), name + " gradient of b on " + device);
    }

    private static void close(Device device, String name, BinaryOperator<Tensor> op, float[] out, float[] gradA, float[] gradB) {
        Tensor[] r = run(device, op);
        assertUlps(name, out, r[0].toFloatArray());
        assertUlps(name + " gradient of a", gradA, r[1].toFloatArray());
        assertUlps(name + " gradient of b", gradB, r[2].toFloatArray());
    }

    private static Tensor[] run(Device device, BinaryOperator<Tensor> op) {
        Tensor a = Tensor.fromArray(A, new int[] {15}, device).requiresGrad_(true);
        Tensor b = Tensor.fromArray(B, new int[] {15}, device).requiresGrad_(true);
        op.apply(a, b).sum().backward();
        return new Tensor[] {op.apply(a.detach(), b.detach()), a.grad(), b.grad()};
    }

    private static void assertUlps(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.compare(expected[i], actual[i]) == 0
                    || Math.abs(expected[i] - actual[i]) <= 2 * Math.ulp(expected[i]) && Math.signum(expected[i]) == Math.signum(actual[i]);
            assertTrue(same, what + " at " + i + " (" + A[i] + ", " + B[i] + "): expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
