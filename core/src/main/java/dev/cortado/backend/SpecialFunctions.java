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

    /**
     * The complementary error function: 1 - erf(x) below |x| = 2 (where erf's absolute error of
     * about 1e-16 is still tiny against erfc), and above it the continued fraction
     * {@code erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))} by Lentz's
     * method, which converges in a few dozen terms there.
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 2) {
            return x > -2 ? 1 - erf(x) : 2 - erfc(-x);
        }
        if (x > 27) {
            return 0;
        }
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** The inverse hyperbolic sine, odd, without log's cancellation near 0 or the square's overflow far out. */
    public static double asinh(double x) {
        double a = Math.abs(x);
        double r;
        if (a > 0x1p28) {
            r = Math.log(a) + Math.log(2);
        } else {
            r = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        }
        return Math.copySign(r, x);
    }

    /** The inverse hyperbolic cosine: NaN below 1, through log1p near 1. */
    public static double acosh(double x) {
        if (!(x >= 1)) {
            return Double.NaN;
        }
        if (x > 0x1p28) {
            return Math.log(x) + Math.log(2);
        }
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    /** The inverse hyperbolic tangent: ±inf at ±1, NaN beyond. */
    public static double atanh(double x) {
        double a = Math.abs(x);
        if (a > 1) {
            return Double.NaN;
        }
        return Math.copySign(0.5 * Math.log1p(2 * a / (1 - a)), x);
    }
}
