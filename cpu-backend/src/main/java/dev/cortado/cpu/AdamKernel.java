package dev.cortado.cpu;

import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam (and AdamW, AMSGrad) in one pass over parameter, gradient and moments, where Adam's
 * elementwise ops made about ten, each reading and writing a whole tensor. Every operation rounds
 * to float32 in the order of theirs, with no fused multiply-add and a correctly rounded square
 * root, so the bits are the same (checked by the backend contract).
 */
final class AdamKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements per parallel chunk, at least, as for SGD. */
    private static final int GRAIN = 1 << 13;

    private AdamKernel() {
    }

    /** The update's scalars, each the float32 that Adam's elementwise ops would make of it. */
    private record Scalars(int decayMode, float wd, float shrink, float b1, float c1, float b2, float c2, float sqrtBc2, float eps,
                           float negStep) {
        static Scalars of(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, double step) {
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            int mode = weightDecay == 0 ? 0 : decoupled ? 2 : 1;
            return new Scalars(mode, (float) weightDecay, (float) (1 - lr * weightDecay), (float) beta1, (float) (1 - beta1), (float) beta2,
                    (float) (1 - beta2), (float) Math.sqrt(bc2), (float) eps, (float) (-lr / bc1));
        }
    }

    static void step(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr, double beta1, double beta2,
                     double eps, double weightDecay, boolean decoupled, double step) {
        Scalars k = Scalars.of(lr, beta1, beta2, eps, weightDecay, decoupled, step);
        float[] p = Elementwise.f(param);
        float[] g = Elementwise.f(grad);
        float[] m = Elementwise.f(expAvg);
        float[] v = Elementwise.f(expAvgSq);
        float[] mx = maxExpAvgSq == null ? null : Elementwise.f(maxExpAvgSq);
        int po = param.offset(), go = grad.offset(), mo = expAvg.offset(), vo = expAvgSq.offset();
        int xo = maxExpAvgSq == null ? 0 : maxExpAvgSq.offset();
        Parallel.forRange(param.numel(), GRAIN, (from, to) -> {
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector pv = FloatVector.fromArray(S, p, po + i);
                FloatVector gv = FloatVector.fromArray(S, g, go + i);
                if (k.decayMode == 2) {
                    pv = pv.mul(k.shrink);
                } else if (k.decayMode == 1) {
                    gv = gv.add(pv.mul(k.wd));
                }
                FloatVector mv = FloatVector.fromArray(S, m, mo + i).mul(k.b1).add(gv.mul(k.c1));
                mv.intoArray(m, mo + i);
                FloatVector vv = FloatVector.fromArray(S, v, vo + i).mul(k.b2).add(gv.mul(gv).mul(k.c2));
                vv.intoArray(v, vo + i);
                FloatVector second = vv;
                if (mx != null) {
                    FloatVector old = FloatVector.fromArray(S, mx, xo + i);
                    second = vv.blend(old, old.compare(VectorOperators.GT, vv));
                    second.intoArray(mx, xo + i);
                }
                FloatVector denom = second.sqrt().div(k.sqrtBc2).add(k.eps);
                pv.add(mv.div(denom).mul(k.negStep)).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                float pv = p[po + i];
                float gv = g[go + i];
                if (k.decayMode == 2) {
                    pv = pv * k.shrink;
                } else if (k.decayMode == 1) {
                    gv = gv + pv * k.wd;
                }
                float mv = m[mo + i] * k.b1 + gv * k.c1;
                m[mo + i] = mv;
                float vv = v[vo + i] * k.b2 + gv * gv * k.c2;
                v[vo + i] = vv;
                float second = vv;
                if (mx != null) {
                    float old = mx[xo + i];
                    second = old > vv ? old : vv;
                    mx[xo + i] = second;
                }
                float denom = (float) Math.sqrt(second) / k.sqrtBc2 + k.eps;
                p[po + i] = pv + mv / denom * k.negStep;
            }
        });
    }
}
