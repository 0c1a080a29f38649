package dev.cortado.cuda;

/**
 * Division of non-negative ints by a divisor fixed for a whole launch, as kernels.cu's
 * {@code Divisor} does it: a multiply-high, an add and a shift (Granlund and Montgomery), a few
 * instructions where a GPU's integer division takes some twenty. For 1 ≤ d < 2³¹, with
 * {@code shift} = ⌈log₂ d⌉ and {@code magic} = ⌊2³²·(2^shift − d) / d⌋ + 1 (which fits in 32
 * unsigned bits), n / d = (mulhi(n, magic) + n) >> shift for every 0 ≤ n < 2³¹.
 */
record FastDivisor(int magic, int shift, int divisor) {
    static FastDivisor of(int divisor) {
        if (divisor < 1) {
            throw new IllegalArgumentException("FastDivisor: divisor " + divisor + " is not positive");
        }
        int shift = 32 - Integer.numberOfLeadingZeros(divisor - 1);
        long magic = ((1L << 32) * ((1L << shift) - divisor)) / divisor + 1;
        return new FastDivisor((int) magic, shift, divisor);
    }

    /** n / divisor as the kernels compute it; n must be in [0, 2³¹). */
    int divide(int n) {
        return divide(n, magic, shift);
    }

    /** n / d from d's magic and shift, as kernels.cu's div_magic computes it. */
    static int divide(int n, int magic, int shift) {
        long high = (Integer.toUnsignedLong(n) * Integer.toUnsignedLong(magic)) >>> 32;
        return (int) ((high + n) >>> shift);
    }

    /** The kernels' {@code Divisor} struct: {magic, shift, divisor}. */
    int[] packed() {
        return new int[] {magic, shift, divisor};
    }
}
