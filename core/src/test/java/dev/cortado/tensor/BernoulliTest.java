package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.CounterRandom;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BernoulliTest extends OnReference {
    /** Pins the draw that every backend must reproduce: SplitMix64 seeded with 0 starts with these outputs. */
    @Test
    void counterDrawsAreSplitMix64() {
        assertEquals(0xE220A8397B1DCDAFL, CounterRandom.bits(0, 0));
        assertEquals(0x6E789E6AA1B965F4L, CounterRandom.bits(0, 1));
        assertEquals(0x06C45D188009454FL, CounterRandom.bits(0, 2));
        assertEquals((0xE220A8397B1DCDAFL >>> 40) / 16777216.0, CounterRandom.uniform(0, 0), 0);
        assertEquals(CounterRandom.bits(5, 3), CounterRandom.bits(5 + 3 * CounterRandom.GAMMA, 0), "a key advanced by i steps starts at element i");
    }

    @Test
    void samplesAreZeroOrOneWithTheRequestedFrequency() {
        Cortado.manualSeed(1);
        int n = 200_000;
        for (double p : new double[] {0.1, 0.5, 0.8}) {
            double[] v = Tensor.empty(new int[] {n}, DType.FLOAT32, Cortado.defaultDevice()).bernoulli_(p).toDoubleArray();
            assertTrue(java.util.Arrays.stream(v).allMatch(x -> x == 0 || x == 1));
            double mean = java.util.Arrays.stream(v).average().orElseThrow();
            // Five standard deviations of a mean of n Bernoulli(p) samples.
            assertEquals(p, mean, 5 * Math.sqrt(p * (1 - p) / n), "frequency of ones for p = " + p);
        }
        assertArrayEquals(new double[] {0, 0, 0}, Tensor.ones(3).bernoulli_(0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1, 1}, Tensor.zeros(3).bernoulli_(1).toDoubleArray(), 0);
    }

    @Test
    void aSeedRepeatsTheMaskAndEachCallDrawsAnew() {
        Cortado.manualSeed(9);
        double[] a = Tensor.zeros(64).bernoulli_(0.5).toDoubleArray();
        double[] b = Tensor.zeros(64).bernoulli_(0.5).toDoubleArray();
        Cortado.manualSeed(9);
        assertArrayEquals(a, Tensor.zeros(64).bernoulli_(0.5).toDoubleArray(), 0);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    }

    @Test
    void divInPlaceIsDivByAScalar() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        assertArrayEquals(x.div(0.7).toFloatArray(), x.mul(1).div_(0.7).toFloatArray());
    }

    @Test
    void errorsNameTheOpAndTheRule() {
        assertEquals("bernoulli_: p has to be between 0 and 1, but got 1.5",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).bernoulli_(1.5)).getMessage());
        assertEquals("bernoulli_: p has to be between 0 and 1, but got NaN",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).bernoulli_(Double.NaN)).getMessage());
        assertEquals("bernoulli_: expected a float32 tensor, got int64",
                assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3).bernoulli_(0.5)).getMessage());
        Tensor w = Tensor.zeros(2).requiresGrad_(true);
        assertTrue(assertThrows(IllegalStateException.class, () -> w.bernoulli_(0.5)).getMessage().startsWith("bernoulli_: a leaf tensor that requires grad"));
        try (var off = GradMode.off()) {
            assertEquals(2, w.bernoulli_(1).sum().item(), 0);
        }
    }
}
