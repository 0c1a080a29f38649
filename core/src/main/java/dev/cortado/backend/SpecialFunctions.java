package dev.cortado.backend;

/** Functions that {@link Math} lacks, in double precision, shared by the CPU backend and the tests' reference. */
public final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private SpecialFunctions() {
    }

    /**
     * The error function, to about 1e-15 relative: the series
     * {@code erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1 * 3 * ... * (2n+1))}, whose
     * terms are all positive (no cancellation); past |x| = 6, erf is 1 to double precision.
     * Rounded to float it gives the correctly rounded float in all but rare ties.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a > 6) {
            return Math.copySign(1, x);
        }
        double term = a;
        double sum = a;
        double twoX2 = 2 * a * a;
        for (int n = 1; n < 1000 && term > 1e-17 * sum; n++) {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(Math.min(1, TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum), x);
    }
}
