package dev.cortado.cuda;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FastDivisorTest {
    private static void check(int d, int n) {
        assertEquals(n / d, FastDivisor.of(d).divide(n), n + " / " + d);
    }

    @Test
    void dividesExactlyAcrossTheWholeRange() {
        Random random = new Random(5);
        int[] numerators = new int[64];
        for (int d = 1; d <= 3000; d++) {
            fillEdges(numerators, d, random);
            for (int n : numerators) {
                check(d, n);
            }
        }
        for (int k = 0; k < 31; k++) {
            for (int d : new int[] {(1 << k) - 1, 1 << k, (1 << k) + 1}) {
                if (d >= 1) {
                    fillEdges(numerators, d, random);
                    for (int n : numerators) {
                        check(d, n);
                    }
                }
            }
        }
        for (int i = 0; i < 20_000; i++) {
            check(1 + random.nextInt(Integer.MAX_VALUE), random.nextInt(Integer.MAX_VALUE));
            check(1 + random.nextInt(1 << 16), random.nextInt(Integer.MAX_VALUE));
        }
    }

    /** Zero, the largest int, and each side of the first multiples of d and of the largest one. */
    private static void fillEdges(int[] n, int d, Random random) {
        int i = 0;
        n[i++] = 0;
        n[i++] = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE / d * d;
        for (int k = 1; k <= 4; k++) {
            long m = (long) k * d;
            n[i++] = (int) Math.min(Integer.MAX_VALUE, m);
            n[i++] = (int) Math.min(Integer.MAX_VALUE, m - 1);
            n[i++] = (int) Math.min(Integer.MAX_VALUE, m + 1);
            n[i++] = Math.max(0, top - (k - 1) * d);
            n[i++] = Math.max(0, top - (k - 1) * d - 1);
        }
        while (i < n.length) {
            n[i++] = random.nextInt(Integer.MAX_VALUE);
        }
    }

    @Test
    void magicFitsInThirtyTwoUnsignedBits() {
        for (int d : new int[] {1, 2, 3, 5, 7, (1 << 30) + 1, Integer.MAX_VALUE}) {
            FastDivisor f = FastDivisor.of(d);
            long magic = ((1L << 32) * ((1L << f.shift()) - d)) / d + 1;
            assertEquals(magic, Integer.toUnsignedLong(f.magic()), "magic of " + d);
        }
    }

    @Test
    void rejectsDivisorsBelowOne() {
        assertMessage(() -> FastDivisor.of(0), "FastDivisor: divisor 0 is not positive");
        assertMessage(() -> FastDivisor.of(-3), "divisor -3");
    }
}
