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

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

    /**
     * log |Γ(x)|: Lanczos' approximation (g = 7, about 1e-15 relative in Γ) from 1/2 up, and the
     * reflection Γ(x) Γ(1 - x) = π / sin(πx) below; +inf at 0 and the negative integers (poles).
     */
    public static double lgamma(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Double.isInfinite(x) || x <= 0 && x == Math.rint(x)) {
            return Double.POSITIVE_INFINITY;
        }
        if (x == 1 || x == 2) {
            return 0; // Γ = 1 exactly; the series leaves a residue of about 1e-15 there
        }
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * (x - Math.rint(x))))) - lgamma(1 - x);
        }
        double z = x - 1;
        double a = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /**
     * ψ(x), the logarithmic derivative of Γ: NaN at the poles below 0, ∓inf at ±0 (PyTorch's
     * signs); the reflection ψ(1 - x) - π / tan(πx) below 0, the recurrence ψ(x) = ψ(x + 1) - 1/x
     * up to 10, then the asymptotic series.
     */
    public static double digamma(double x) {
        if (Double.isNaN(x) || x == Double.NEGATIVE_INFINITY) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x == 0) {
            return Math.copySign(Double.POSITIVE_INFINITY, -x);
        }
        double result = 0;
        if (x < 0) {
            if (x == Math.rint(x)) {
                return Double.NaN;
            }
            // tan(π r) of the fractional part r is more accurate than tan(π x).
            double r = x - (x < 0 ? Math.ceil(x) : Math.floor(x));
            result = -Math.PI / Math.tan(Math.PI * r);
            x = 1 - x;
        }
        while (x < 10) {
            result -= 1 / x;
            x += 1;
        }
        double z = 1 / (x * x);
        double series = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12))))));
        return result + Math.log(x) - 0.5 / x - series;
    }

    /** Bernoulli numbers B2, B4, ..., B24, for the Euler–Maclaurin tail of the Hurwitz zeta function. */
    private static final double[] BERNOULLI = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
        43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730};

    /**
     * The Hurwitz zeta function ζ(s, q) = Σ (q + k)^-s for an integer s ≥ 2: the first terms summed
     * until q + k passes 9, then Euler–Maclaurin with Bernoulli numbers, as Cephes (and PyTorch)
     * compute it; also for negative non-integer q, +inf at q = 0, -1, ...
     */
    public static double zeta(int s, double q) {
        if (Double.isNaN(q) || q == Double.NEGATIVE_INFINITY) {
            return Double.NaN;
        }
        if (q <= 0 && q == Math.rint(q)) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double sum = Math.pow(q, -s);
        double a = q;
        double b = 0;
        int i = 0;
        while (i < 9 || a <= 9) {
            i++;
            a += 1;
            b = Math.pow(a, -s);
            sum += b;
            if (Math.abs(b / sum) < 1.1e-16) {
                return sum;
            }
        }
        double w = a;
        sum += b * w / (s - 1);
        sum -= 0.5 * b;
        double fact = 1;
        double rising = 1;
        for (int k = 0; k < BERNOULLI.length; k++) {
            // term k: B_{2k+2} / (2k+2)! · s (s+1) ... (s+2k) · a^-(s+2k+1)
            rising *= s + 2 * k;
            b /= w;
            fact *= (2 * k + 1) * (2 * k + 2);
            double t = BERNOULLI[k] / fact * rising * b;
            sum += t;
            if (Math.abs(t / sum) < 1.1e-16) {
                break;
            }
            rising *= s + 2 * k + 1;
            b /= w;
        }
        return sum;
    }

    /** ψ⁽ⁿ⁾(x) for n ≥ 1: (-1)^(n+1) n! ζ(n + 1, x), PyTorch's formula. */
    public static double polygamma(int n, double x) {
        double factorial = 1;
        for (int i = 2; i <= n; i++) {
            factorial *= i;
        }
        return (n % 2 == 1 ? 1 : -1) * factorial * zeta(n + 1, x);
    }

    /**
     * erf⁻¹(x) on [-1, 1] (±inf at ±1, NaN outside): Giles' single-precision approximation, then
     * Newton steps on erf, or on erfc past 1/2 where erf's values crowd against 1.
     */
    public static double erfinv(double x) {
        if (Double.isNaN(x) || Math.abs(x) > 1) {
            return Double.NaN;
        }
        if (Math.abs(x) == 1) {
            return Math.copySign(Double.POSITIVE_INFINITY, x);
        }
        if (x == 0) {
            return x;
        }
        double w = -Math.log((1 - x) * (1 + x));
        double p;
        if (w < 5) {
            w -= 2.5;
            p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
        } else {
            w = Math.sqrt(w) - 3;
            p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
        }
        double a = Math.abs(x);
        double y = Math.abs(p * x);
        for (int i = 0; i < 3; i++) {
            double f = a <= 0.5 ? erf(y) - a : (1 - a) - erfc(y);
            y -= f / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
        }
        return Math.copySign(y, x);
    }
}
