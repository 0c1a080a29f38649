package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import static dev.cortado.cpu.Elementwise.S;

/**
 * exp, sigmoid, tanh and erf in float arithmetic. Against the exact values, over every float:
 * exp is within 0.94 units in the last place, tanh within 1.4, and sigmoid, PyTorch's float
 * formula 1 / (1 + e^-x), within 2.5 (PyTorch's own vectorized exp is a 1-ulp one); erf within
 * 1.32 over every 61st float from 5e-10 to 4.5 (PyTorch's vectorized erf is accurate to 1.5e-7
 * absolute only). Each comes as a
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

    /** Below this |x|, erf(x) is x + x·R(x²); from it on, 1 - e^(-x²)·Q(t) with t = 1 / (1 + ERF_P·|x|). */
    private static final float ERF_SMALL = 1f;
    /** From here on erf(x) rounds to ±1 (1 - erf(3.87) is under half a float step below 1). */
    private static final float ERF_ONE = 4f;
    /** R's coefficients, least relative error on (0, 1) (1.03 ulp on the float result). */
    private static final float R0 = 0.12837916612625122f;
    private static final float R1 = -0.3761262893676758f;
    private static final float R2 = 0.11283612251281738f;
    private static final float R3 = -0.026854809373617172f;
    private static final float R4 = 0.00519005348905921f;
    private static final float R5 = -0.0008024353883229196f;
    private static final float R6 = 7.898209878476337e-05f;
    private static final float ERF_P = 0.47f;
    /**
     * Q's coefficients, fitting e^(x²)·erfc(x) on [1, 4] by least relative error (1.4 ulp on the
     * float result; a polynomial in |x| - 2.5 of degree 11 instead, without the division, was no
     * faster).
     */
    private static final float Q0 = -0.00029119421378709376f;
    private static final float Q1 = 0.270072340965271f;
    private static final float Q2 = 0.22949974238872528f;
    private static final float Q3 = 0.38155028223991394f;
    private static final float Q4 = -0.1839486062526703f;
    private static final float Q5 = 0.6415226459503174f;
    private static final float Q6 = -0.4233510196208954f;
    private static final float Q7 = 0.08485587686300278f;

    private static FloatVector lanes(float v) {
        return FloatVector.broadcast(S, v);
    }

    /*
     * The constants of exp's polynomial, erf, tanh and the activations built on them as
     * vectors, made once.
     * Broadcast at each use (lanes(c), or an operation's scalar argument), each constant cost the
     * JIT a dozen nodes of intermediate code before they folded; erf and the exp inside it then
     * passed C2's node budget for inlining, the calls stayed calls, and every vector crossing
     * them was boxed: erf took 3–5 ns an element instead of under 1. A constant loaded from a
     * field can cost a little in a short loop, though: exp takes its polynomial's constants from
     * here (GELU 0.65 ns an element against 0.8–0.95 with them broadcast) but keeps the scalar
     * arguments of its first steps (0.29 ns an element against 0.37–0.46 with every constant
     * loaded), and hardswish keeps all of its own (0.12 against 0.44).
     */
    private static final FloatVector ONE = lanes(1f);
    private static final FloatVector V_MINUS_LN2_HI = lanes(-LN2_HI);
    private static final FloatVector V_MINUS_LN2_LO = lanes(-LN2_LO);
    private static final FloatVector V_E2 = lanes(E2);
    private static final FloatVector V_E3 = lanes(E3);
    private static final FloatVector V_E4 = lanes(E4);
    private static final FloatVector V_E5 = lanes(E5);
    private static final FloatVector HALF = lanes(0.5f);
    private static final IntVector V_MAGNITUDE = IntVector.broadcast(S.withLanes(int.class), 0x7fffffff);
    private static final IntVector V_SIGN = IntVector.broadcast(S.withLanes(int.class), 0x80000000);
    private static final FloatVector TWO = lanes(2f);
    private static final FloatVector V_TANH_SMALL = lanes(TANH_SMALL);
    private static final FloatVector V_T0 = lanes(T0);
    private static final FloatVector V_T1 = lanes(T1);
    private static final FloatVector V_T2 = lanes(T2);
    private static final FloatVector V_T3 = lanes(T3);
    private static final FloatVector V_T4 = lanes(T4);
    private static final FloatVector V_T5 = lanes(T5);
    private static final FloatVector V_ERF_SMALL = lanes(ERF_SMALL);
    private static final FloatVector V_ERF_ONE = lanes(ERF_ONE);
    private static final FloatVector V_ERF_P = lanes(ERF_P);
    private static final FloatVector V_R0 = lanes(R0);
    private static final FloatVector V_R1 = lanes(R1);
    private static final FloatVector V_R2 = lanes(R2);
    private static final FloatVector V_R3 = lanes(R3);
    private static final FloatVector V_R4 = lanes(R4);
    private static final FloatVector V_R5 = lanes(R5);
    private static final FloatVector V_R6 = lanes(R6);
    private static final FloatVector V_Q0 = lanes(Q0);
    private static final FloatVector V_Q1 = lanes(Q1);
    private static final FloatVector V_Q2 = lanes(Q2);
    private static final FloatVector V_Q3 = lanes(Q3);
    private static final FloatVector V_Q4 = lanes(Q4);
    private static final FloatVector V_Q5 = lanes(Q5);
    private static final FloatVector V_Q6 = lanes(Q6);
    private static final FloatVector V_Q7 = lanes(Q7);

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
        FloatVector r = nf.fma(V_MINUS_LN2_HI, c);
        r = nf.fma(V_MINUS_LN2_LO, r);
        FloatVector p = r.fma(E7, E6);
        p = p.fma(r, V_E5);
        p = p.fma(r, V_E4);
        p = p.fma(r, V_E3);
        p = p.fma(r, V_E2);
        p = p.fma(r, ONE);
        p = p.fma(r, ONE);
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
        return ONE.div(exp(x.neg()).add(ONE));
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
        FloatVector q = u.fma(V_T5, V_T4);
        q = q.fma(u, V_T3);
        q = q.fma(u, V_T2);
        q = q.fma(u, V_T1);
        q = q.fma(u, V_T0);
        FloatVector small = x.mul(u).fma(q, x);
        FloatVector a = x.abs();
        FloatVector big = ONE.sub(TWO.div(exp(a.mul(TWO)).add(ONE)));
        FloatVector magnitude = big.blend(small, a.compare(VectorOperators.LT, V_TANH_SMALL));
        IntVector magnitudeBits = ((IntVector) magnitude.reinterpretAsInts()).and(V_MAGNITUDE);
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(V_SIGN);
        return (FloatVector) magnitudeBits.or(sign).reinterpretAsFloats();
    }

    /**
     * The error function: an odd polynomial below |x| = 1, and above it 1 - e^(-x²)·Q with e^(-x²)
     * corrected for the rounding of x² (the fused a·a - z is exact). NaN stays NaN, ±0 keeps its
     * sign.
     */
    static float erf(float x) {
        float a = Math.abs(x);
        float z = a * a;
        float r = Math.fma(R6, z, R5);
        r = Math.fma(r, z, R4);
        r = Math.fma(r, z, R3);
        r = Math.fma(r, z, R2);
        r = Math.fma(r, z, R1);
        r = Math.fma(r, z, R0);
        float small = Math.fma(a, r, a);
        float t = 1f / Math.fma(a, ERF_P, 1f);
        float q = Math.fma(Q7, t, Q6);
        q = Math.fma(q, t, Q5);
        q = Math.fma(q, t, Q4);
        q = Math.fma(q, t, Q3);
        q = Math.fma(q, t, Q2);
        q = Math.fma(q, t, Q1);
        q = Math.fma(q, t, Q0);
        float e = exp(-z);
        e = Math.fma(-e, Math.fma(a, a, -z), e);
        float big = 1f - e * q;
        float magnitude = a >= ERF_ONE ? 1f : a < ERF_SMALL ? small : big;
        return Math.copySign(magnitude, x);
    }

    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = a.mul(a);
        FloatVector r = z.fma(V_R6, V_R5);
        r = r.fma(z, V_R4);
        r = r.fma(z, V_R3);
        r = r.fma(z, V_R2);
        r = r.fma(z, V_R1);
        r = r.fma(z, V_R0);
        FloatVector small = a.fma(r, a);
        FloatVector t = ONE.div(a.fma(V_ERF_P, ONE));
        FloatVector q = t.fma(V_Q7, V_Q6);
        q = q.fma(t, V_Q5);
        q = q.fma(t, V_Q4);
        q = q.fma(t, V_Q3);
        q = q.fma(t, V_Q2);
        q = q.fma(t, V_Q1);
        q = q.fma(t, V_Q0);
        FloatVector e = exp(z.neg());
        e = e.neg().fma(a.fma(a, z.neg()), e);
        FloatVector big = ONE.sub(e.mul(q));
        FloatVector magnitude = big.blend(small, a.compare(VectorOperators.LT, V_ERF_SMALL)).blend(ONE, a.compare(VectorOperators.GE, V_ERF_ONE));
        IntVector magnitudeBits = ((IntVector) magnitude.reinterpretAsInts()).and(V_MAGNITUDE);
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(V_SIGN);
        return (FloatVector) magnitudeBits.or(sign).reinterpretAsFloats();
    }

    /** √½ and 1 / √(2π) in float, PyTorch's kAlpha and kBeta for GELU. */
    private static final float SQRT1_2 = 0.70710678118654752f;
    private static final float PDF_SCALE = 0.39894228040143268f;
    private static final FloatVector V_SQRT1_2 = lanes(SQRT1_2);
    private static final FloatVector V_PDF_SCALE = lanes(PDF_SCALE);
    private static final FloatVector MINUS_HALF = lanes(-0.5f);

    /** GELU, PyTorch's float steps: (x · ½) · (1 + erf(x · √½)). */
    static float gelu(float x) {
        return x * 0.5f * (1f + erf(x * SQRT1_2));
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(HALF).mul(erf(x.mul(V_SQRT1_2)).add(ONE));
    }

    /** GELU's backward, PyTorch's float steps: g · (½ (1 + erf(x √½)) + x · β e^(-x²/2)). */
    static float geluBackward(float g, float x) {
        float cdf = 0.5f * (1f + erf(x * SQRT1_2));
        float pdf = PDF_SCALE * exp(x * x * -0.5f);
        return g * (cdf + x * pdf);
    }

    static FloatVector geluBackward(FloatVector g, FloatVector x) {
        FloatVector cdf = erf(x.mul(V_SQRT1_2)).add(ONE).mul(HALF);
        FloatVector pdf = exp(x.mul(x).mul(MINUS_HALF)).mul(V_PDF_SCALE);
        return g.mul(cdf.add(x.mul(pdf)));
    }

    /** SiLU, PyTorch's float steps: x / (1 + e^(-x)); -0 once e^(-x) overflows (below about -88.7). */
    static float silu(float x) {
        return x / (1f + exp(-x));
    }

    static FloatVector silu(FloatVector x) {
        return x.div(exp(x.neg()).add(ONE));
    }

    /** SiLU's backward, PyTorch's float steps: g · s · (1 + x · (1 - s)) with s = 1 / (1 + e^(-x)). */
    static float siluBackward(float g, float x) {
        float s = 1f / (1f + exp(-x));
        return g * s * (1f + x * (1f - s));
    }

    static FloatVector siluBackward(FloatVector g, FloatVector x) {
        FloatVector s = ONE.div(exp(x.neg()).add(ONE));
        return g.mul(s).mul(ONE.sub(s).mul(x).add(ONE));
    }

    /** Hardswish, PyTorch's float steps: x · min(max(x + 3, 0), 6) / 6 (NaN stays NaN). */
    static float hardswish(float x) {
        return x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
    }

    static FloatVector hardswish(FloatVector x) {
        return x.mul(x.add(3f).max(0f).min(6f)).div(6f);
    }

    /** Hardswish's backward, PyTorch's branches: 0 below -3, g · (x / 3 + ½) up to 3, g above and for NaN. */
    static float hardswishBackward(float g, float x) {
        return x < -3f ? 0f : x <= 3f ? g * (x / 3f + 0.5f) : g;
    }

    static FloatVector hardswishBackward(FloatVector g, FloatVector x) {
        FloatVector middle = g.mul(x.div(3f).add(0.5f));
        return g.blend(middle, x.compare(VectorOperators.LE, 3f)).blend(FloatVector.zero(S), x.compare(VectorOperators.LT, -3f));
    }
}
