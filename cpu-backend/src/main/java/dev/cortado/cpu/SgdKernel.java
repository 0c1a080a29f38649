package dev.cortado.cpu;

import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGD with momentum in one pass over parameter, gradient and buffer, where the elementwise ops
 * made four (a multiply and an add per update, each reading and writing the whole buffer or
 * parameter). Products and sums round in the same order as theirs, with no fused multiply-add, so
 * the bits are the same.
 */
final class SgdKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Elements per parallel chunk, at least: a quarter of the elementwise ops' 32k, since with
     * theirs LeNet's 94k weights made three chunks for two threads (1.39 times faster on two
     * than on one).
     */
    private static final int GRAIN = 1 << 13;

    private SgdKernel() {
    }

    static void step(Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening, double weightDecay,
                     boolean nesterov) {
        float[] p = Elementwise.f(param);
        float[] g = Elementwise.f(grad);
        float[] b = Elementwise.f(buf);
        int po = param.offset(), go = grad.offset(), bo = buf.offset();
        float neg = (float) -lr;
        float mu = (float) momentum;
        float keep = (float) (1 - dampening);
        float wd = (float) weightDecay;
        boolean decay = weightDecay != 0;
        Parallel.forRange(param.numel(), GRAIN, (from, to) -> {
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector pv = FloatVector.fromArray(S, p, po + i);
                FloatVector d = FloatVector.fromArray(S, g, go + i);
                if (decay) {
                    d = d.add(pv.mul(wd));
                }
                FloatVector bv = FloatVector.fromArray(S, b, bo + i).mul(mu).add(d.mul(keep));
                bv.intoArray(b, bo + i);
                FloatVector step = nesterov ? d.add(bv.mul(mu)) : bv;
                pv.add(step.mul(neg)).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                float pv = p[po + i];
                float d = g[go + i];
                if (decay) {
                    d = d + pv * wd;
                }
                float bv = b[bo + i] * mu + d * keep;
                b[bo + i] = bv;
                float step = nesterov ? d + bv * mu : bv;
                p[po + i] = pv + step * neg;
            }
        });
    }
}
