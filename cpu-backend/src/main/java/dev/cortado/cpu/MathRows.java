package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.cortado.cpu.Elementwise.L;
import static dev.cortado.cpu.Elementwise.S;

/**
 * The whole vectors of a contiguous row through one of {@link FloatMath}'s functions, a method
 * per function: each loop is compiled on its own, with the function inlined into it. As cases of
 * one switch over every op, the loops shared one compilation's budget, and erf, GELU and the
 * exps of the later cases were left as calls that boxed every vector (3–5 ns an element where
 * the inlined loop takes under 1). Each returns the index after the last whole vector; the tail
 * is the caller's.
 */
final class MathRows {
    private MathRows() {
    }

    static int exp(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.exp(FloatVector.fromArray(S, x, px + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int sigmoid(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.sigmoid(FloatVector.fromArray(S, x, px + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int tanh(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.tanh(FloatVector.fromArray(S, x, px + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int erf(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.erf(FloatVector.fromArray(S, x, px + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int gelu(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.gelu(FloatVector.fromArray(S, x, px + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int silu(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.silu(FloatVector.fromArray(S, x, px + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int hardswish(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.hardswish(FloatVector.fromArray(S, x, px + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int geluBackward(float[] o, int po, float[] x, int px, float[] y, int py, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.geluBackward(FloatVector.fromArray(S, x, px + i), FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int siluBackward(float[] o, int po, float[] x, int px, float[] y, int py, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.siluBackward(FloatVector.fromArray(S, x, px + i), FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
        }
        return i;
    }

    static int hardswishBackward(float[] o, int po, float[] x, int px, float[] y, int py, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatMath.hardswishBackward(FloatVector.fromArray(S, x, px + i), FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
        }
        return i;
    }
}
