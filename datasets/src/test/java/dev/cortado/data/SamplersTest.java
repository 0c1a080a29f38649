package dev.cortado.data;

import dev.cortado.tensor.Generator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The random samplers' distributions: uniform with replacement, weighted with and without. */
class SamplersTest {
    @Test
    void weightedDrawsFollowTheWeightsAndNeverPickAZeroWeight() {
        double[] w = {1, 0, 3, 6};
        int[] counts = new int[4];
        for (int i : Sampler.weightedRandom(w, 100_000, true).indices(new Generator(1))) {
            counts[i]++;
        }
        assertEquals(0, counts[1]);
        assertEquals(0.1, counts[0] / 100_000.0, 0.005);
        assertEquals(0.3, counts[2] / 100_000.0, 0.006);
        assertEquals(0.6, counts[3] / 100_000.0, 0.006);
    }

    @Test
    void withoutReplacementEachIndexComesOnceAndHeavierOnesFirstMoreOften() {
        double[] w = {1, 0, 3, 6};
        int heaviestFirst = 0;
        for (int seed = 0; seed < 2000; seed++) {
            int[] draw = Sampler.weightedRandom(w, 3, false).indices(new Generator(seed));
            Set<Integer> distinct = new HashSet<>();
            for (int i : draw) {
                assertTrue(i != 1 && distinct.add(i), "distinct, positive-weight indices");
            }
            heaviestFirst += draw[0] == 3 ? 1 : 0;
        }
        // P(index 3 drawn first) = 6 / 10.
        assertEquals(0.6, heaviestFirst / 2000.0, 0.04);
        assertThrows(IllegalArgumentException.class, () -> Sampler.weightedRandom(w, 4, false));
        assertThrows(IllegalArgumentException.class, () -> Sampler.weightedRandom(new double[] {1, -1}, 1, true));
        assertThrows(IllegalArgumentException.class, () -> Sampler.weightedRandom(new double[] {0, 0}, 1, true));
    }

    @Test
    void weightedDrawsArePyTorchsForTheSameGenerator() {
        // PyTorch 1.13: list(WeightedRandomSampler(w, n, replacement, generator=torch.Generator().manual_seed(4))), twice.
        double[] w = {0.1, 2.0, 0.0, 1.5, 0.4, 3.0};
        Generator g = new Generator(4);
        Sampler eight = Sampler.weightedRandom(w, 8, true);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3, 5, 1, 5, 5, 4, 3, 5}, eight.indices(g));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 3, 1, 5, 3, 0, 4, 3}, eight.indices(g));
        Generator h = new Generator(4);
        Sampler three = Sampler.weightedRandom(w, 3, false);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {5, 1, 3}, three.indices(h));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3, 4, 5}, three.indices(h));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3}, Sampler.weightedRandom(w, 1, true).indices(new Generator(4)));
    }

    @Test
    void uniformWithReplacementRepeatsAndCoversTheRange() {
        int[] draw = Sampler.randomWithReplacement(5, 1000).indices(new Generator(2));
        assertEquals(1000, draw.length);
        int[] counts = new int[5];
        for (int i : draw) {
            counts[i]++;
        }
        for (int c : counts) {
            assertEquals(200, c, 50);
        }
    }
}
