package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** floor, ceil, round, trunc, frac, sin and cos with the bits PyTorch 1.13 prints, signed zeros, halves and non-finite values included. */
class RoundingTest extends OnReference {
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float NAN = Float.NaN;
    private static final Tensor X = Tensor.fromArray(new float[] {-2.5f, -1.5f, -0.5f, -0.0f, 0.0f, 0.49999997f, 0.5f, 1.5f, 2.5f, -1.7f, 1.7f,
        3, 1e10f, INF, -INF, NAN}, 16);

    private static void bits(String what, Tensor t, float... expected) {
        float[] got = t.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), what + " element " + i + ": " + got[i] + " vs " + expected[i]);
        }
    }

    @Test
    void roundingOpsMatchPyTorchBitForBit() {
        bits("floor", X.floor(), -3, -2, -1, -0f, 0, 0, 0, 1, 2, -2, 1, 3, 1e10f, INF, -INF, NAN);
        bits("ceil", X.ceil(), -2, -1, -0f, -0f, 0, 1, 1, 2, 3, -1, 2, 3, 1e10f, INF, -INF, NAN);
        bits("round", X.round(), -2, -2, -0f, -0f, 0, 0, 0, 2, 2, -2, 2, 3, 1e10f, INF, -INF, NAN);
        bits("trunc", X.trunc(), -2, -1, -0f, -0f, 0, 0, 0, 1, 2, -1, 1, 3, 1e10f, INF, -INF, NAN);
        bits("frac", X.frac(), -0.5f, -0.5f, -0.5f, 0, 0, 0.4999999701976776f, 0.5f, 0.5f, 0.5f, -0.7000000476837158f, 0.7000000476837158f, 0, 0,
                NAN, NAN, NAN);
    }

    @Test
    void roundToDecimalsScalesRoundsAndScalesBack() {
        bits("2 decimals", Tensor.fromArray(new float[] {1.2345f, -2.555f, 0.125f, 1234.5678f}, 4).round(2), 1.2300000190734863f,
                -2.559999942779541f, 0.11999999731779099f, 1234.5699462890625f);
        bits("-2 decimals", Tensor.fromArray(new float[] {1234.5678f, -1250f}, 2).round(-2), 1200, -1200);
    }

    @Test
    void int64StaysInt64AndSinCosMatch() {
        Tensor i = Tensor.fromArray(new long[] {1, -2}, 2);
        assertEquals(DType.INT64, i.floor().dtype());
        assertArrayEquals(new long[] {1, -2}, i.round().toLongArray());
        assertArrayEquals(new long[] {0, 0}, i.frac().toLongArray());
        Tensor x = Tensor.fromArray(new float[] {0.5f, -2, 100, 1e4f}, 4);
        bits("sin", x.sin(), 0.4794255495071411f, -0.9092974066734314f, -0.5063656568527222f, -0.3056143820285797f);
        bits("cos", x.cos(), 0.8775825500488281f, -0.416146844625473f, 0.8623188734054565f, -0.952155351638794f);
    }
}
