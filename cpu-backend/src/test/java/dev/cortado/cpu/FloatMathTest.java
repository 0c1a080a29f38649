package dev.cortado.cpu;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FloatMath's exp, sigmoid, tanh and erf: the vector and scalar forms give the same bits, the error
 * stays within the bounds its comment states (there checked on every float, here on a sample),
 * and the edge values are IEEE's and PyTorch's.
 */
class FloatMathTest {
    private interface Scalar {
        float apply(float x);
    }

    private interface Lanes {
        FloatVector apply(FloatVector x);
    }

    /** Random floats of every magnitude and sign, plus the edges, in whole vectors. */
    private static float[] sample() {
        SplittableRandom random = new SplittableRandom(7);
        float[] edges = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MAX_VALUE, -Float.MAX_VALUE, 88.72f, 88.73f, -87.4f, -103.9f, -104.5f, 0.625f, -0.625f, 0.6249999f, 9.01f, -44.5f, 1f, 0.99999994f, 3.9999998f, 4f, -1f};
        int n = (200_000 / Elementwise.L + 1) * Elementwise.L;
        float[] x = new float[n];
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int i = edges.length; i < n; i++) {
            x[i] = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) (random.nextDouble(-110, 110));
        }
        return x;
    }

    private static double ulps(float got, double exact) {
        float rounded = (float) exact;
        if (Double.isNaN(exact) || Float.isInfinite(rounded) || Float.isInfinite(got)) {
            return Float.compare(got, rounded) == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp(rounded);
    }

    private static void check(String name, Scalar scalar, Lanes lanes, java.util.function.DoubleUnaryOperator exact, double bound) {
        float[] x = sample();
        float[] vector = new float[x.length];
        for (int i = 0; i < x.length; i += Elementwise.L) {
            lanes.apply(FloatVector.fromArray(Elementwise.S, x, i)).intoArray(vector, i);
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float s = scalar.apply(x[i]);
            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(vector[i]), name + "(" + x[i] + "): scalar " + s + ", vector " + vector[i]);
            worst = Math.max(worst, ulps(s, exact.applyAsDouble(x[i])));
        }
        assertTrue(worst <= bound, name + ": " + worst + " ulps from the exact value, over the bound " + bound);
    }

    @Test
    void vectorAndScalarFormsAgreeAndStayWithinTheirBounds() {
        check("exp", FloatMath::exp, FloatMath::exp, Math::exp, 0.94);
        check("tanh", FloatMath::tanh, FloatMath::tanh, Math::tanh, 1.4);
        check("erf", FloatMath::erf, FloatMath::erf, dev.cortado.backend.SpecialFunctions::erf, 1.4);
        // PyTorch's float formula gives 0 where e^-x overflows a float (below about -88.7); the exact value is a subnormal.
        check("sigmoid", FloatMath::sigmoid, FloatMath::sigmoid, v -> Math.exp(-v) > Float.MAX_VALUE ? 0 : 1 / (1 + Math.exp(-v)), 2.5);
    }

    @Test
    void edgeValues() {
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(88.73f));
        assertEquals(3.3931806e38f, FloatMath.exp(88.72f));
        assertEquals(Float.MIN_VALUE, FloatMath.exp(-103.9f));
        assertEquals(0f, FloatMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FloatMath.tanh(-0f)), "tanh(-0) keeps its sign");
        assertEquals(-1f, FloatMath.tanh(-20f));
        assertEquals(0f, FloatMath.sigmoid(-89f));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)) && Float.isNaN(FloatMath.tanh(Float.NaN)) && Float.isNaN(FloatMath.sigmoid(Float.NaN)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FloatMath.erf(-0f)), "erf(-0) keeps its sign");
        assertEquals(1f, FloatMath.erf(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FloatMath.erf(-4f));
        assertEquals(0.99999994f, FloatMath.erf(3.8f), "just below 1 before the cut at 4");
        assertTrue(Float.isNaN(FloatMath.erf(Float.NaN)));
    }

    /** A tensor's row and the same values one at a time through a strided view (the scalar path) give the same bits. */
    @Test
    void contiguousRowsAndStridedViewsGiveTheSameBits() {
        float[] x = sample();
        Tensor row = Tensor.fromArray(x, new int[] {x.length}, Device.CPU);
        Tensor strided = Tensor.fromArray(x, new int[] {x.length, 1}, Device.CPU).expand(x.length, 2).select(1, 1);
        for (String op : new String[] {"exp", "tanh", "sigmoid", "erf"}) {
            float[] a = apply(op, row).toFloatArray();
            float[] b = apply(op, strided).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), op + "(" + x[i] + ")");
            }
        }
    }

    private static Tensor apply(String op, Tensor t) {
        return switch (op) {
            case "exp" -> t.exp();
            case "tanh" -> t.tanh();
            case "erf" -> t.erf();
            default -> t.sigmoid();
        };
    }
}
