package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order, lane 0 first. {@code reduceLanes(ADD)} leaves
 * the order open, and the JIT's compiled reduction added in a different order from the
 * interpreter's, so a training run's numbers depended on when each kernel got compiled: two runs
 * of the same seed on two threads ended with different weights. (Halving trees through lane
 * shuffles or half-width views were tried and were several times slower here. The weight-gradient
 * tiles, which sum sixteen vectors each, store them and add the lanes in place instead.)
 */
final class Lanes {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Lanes() {
    }

    static float sum(FloatVector v) {
        float[] a = new float[L];
        v.intoArray(a, 0);
        return sum(a, 0);
    }

    /** The same sum of one vector's lanes already stored at {@code lanes[at .. at + L)}. */
    static float sum(float[] lanes, int at) {
        float s = lanes[at];
        for (int i = 1; i < L; i++) {
            s += lanes[at + i];
        }
        return s;
    }
}
