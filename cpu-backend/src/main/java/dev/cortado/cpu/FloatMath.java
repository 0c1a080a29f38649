package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import static dev.cortado.cpu.Elementwise.S;

/**
 * exp, sigmoid and tanh in float arithmetic. Against the exact values, over every float: exp is
 * within 0.94 units in the last place, tanh within 1.4, and sigmoid, PyTorch's float formula
 * 1 / (1 + e^-x), within 2.5 (PyTorch's own vectorized exp is a 1-ulp one). Each comes as a
 * vector and a scalar form that take the same steps (additions, multiplications, fused
 * multiply-adds, bit moves), each exactly rounded by IEEE rules, so a value gets the same bits in
 * a vector lane or in a row's tail, and in the interpreter or compiled (checked on every float).
 * The Vector API's own EXP and TANH lanes are not used: their compiled and interpreted forms come
 * from different libraries and round differently, which made two runs of one seed end with
 * different weights.
 */
final class FloatMath {
    private FloatMath() {
    }

    /** exp(x) overflows above this; clamping here keeps 2^n's exponent in range and still gives +inf. */
    private static final float EXP_HI = 89f;
    /** exp(x) rounds to +0 below this (e^-104 is under half the smallest subnormal). */
    private static final float EXP_LO = -104f;
    private static final float LOG2E = 1.44269504f;
    /** ln 2 split so that n · LN2_HI is exact for every n in range (LN2_HI has 9 significant bits). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 · 2^23: adding it rounds a float of magnitude under 2^22 to an integer, which its low bits then hold. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Taylor coefficients 1/k! for k = 2..7: on |r| ≤ ln2/2 the series' error is under 6e-9. */
    private static final float E2 = 1 / 2f;
    private static final float E3 = 1 / 6f;
    private static final float E4 = 1 / 24f;
    private static final float E5 = 1 / 120f;
    private static final float E6 = 1 / 720f;
    private static final float E7 = 1 / 5040f;
    /** Below this |x|, tanh is x + x·u·Q(u) with u = x²; above, 1 - 2 / (e^2|x| + 1) loses nothing to cancellation. */
    private static final float TANH_SMALL = 0.625f;
    /** Q's coefficients, fitted by least relative error on (0, 0.625²] (worst case 0.63 ulp on the float result). */
    private static final float T0 = -0.3333333134651184f;
    private static final float T1 = 0.1333320140838623f;
    private static final float T2 = -0.053946252912282944f;
    private static final float T3 = 0.021698210388422012f;
    private static final float T4 = -0.008171788416802883f;
    private static final float T5 = 0.002138226293027401f;

    private static FloatVector lanes(float v) {
        return FloatVector.broadcast(S, v);
    }

    static float exp(float x) {
        float c = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = Math.fma(c, LOG2E, ROUNDER);
        int n = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        float nf = t - ROUNDER;
        float r = Math.fma(nf, -LN2_HI, c);
        r = Math.fma(nf, -LN2_LO, r);
        float p = Math.fma(E7, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        // 2^n in two factors, each a normal float: the first product is exact, the second rounds once (also into subnormals).
        int n1 = n >> 1;
        return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n - n1 + 127) << 23);
    }

    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = c.fma(LOG2E, ROUNDER);
        IntVector n = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS);
        FloatVector nf = t.sub(ROUNDER);
        FloatVector r = nf.fma(lanes(-LN2_HI), c);
        r = nf.fma(lanes(-LN2_LO), r);
        FloatVector p = r.fma(E7, E6);
        p = p.fma(r, lanes(E5));
        p = p.fma(r, lanes(E4));
        p = p.fma(r, lanes(E3));
        p = p.fma(r, lanes(E2));
        p = p.fma(r, lanes(1f));
        p = p.fma(r, lanes(1f));
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = (FloatVector) n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** 1 / (1 + e^-x), as PyTorch computes it in float: 0 once e^-x overflows (below about -88). */
    static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    static float tanh(float x) {
        float a = Math.abs(x);
        float magnitude;
        if (a < TANH_SMALL) {
            float u = x * x;
            float q = Math.fma(T5, u, T4);
            q = Math.fma(q, u, T3);
            q = Math.fma(q, u, T2);
            q = Math.fma(q, u, T1);
            q = Math.fma(q, u, T0);
            magnitude = Math.fma(x * u, q, x);
        } else {
            magnitude = 1f - 2f / (exp(2f * a) + 1f);
        }
        // x's sign on either branch; it also keeps tanh(-0) = -0, where the polynomial adds +0 to -0.
        return Math.copySign(magnitude, x);
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector u = x.mul(x);
        FloatVector q = u.fma(T5, T4);
        q = q.fma(u, lanes(T3));
        q = q.fma(u, lanes(T2));
        q = q.fma(u, lanes(T1));
        q = q.fma(u, lanes(T0));
        FloatVector small = x.mul(u).fma(q, x);
        FloatVector a = x.abs();
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(a.mul(2f)).add(1f)));
        FloatVector magnitude = big.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
        IntVector magnitudeBits = ((IntVector) magnitude.reinterpretAsInts()).and(0x7fffffff);
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(0x80000000);
        return (FloatVector) magnitudeBits.or(sign).reinterpretAsFloats();
    }
}
