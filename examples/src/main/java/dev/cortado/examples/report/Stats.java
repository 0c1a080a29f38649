package dev.cortado.examples.report;

import java.util.Locale;

/** Mean and sample standard deviation over seeds, as "98.7 ± 1.2". */
public record Stats(double mean, double std, int n) {
    public static Stats of(double... values) {
        double m = 0;
        for (double v : values) {
            m += v;
        }
        m /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return new Stats(m, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0, values.length);
    }

    @Override
    public String toString() {
        return n > 1 ? String.format(Locale.ROOT, "%.1f ± %.1f", mean, std) : String.format(Locale.ROOT, "%.1f", mean);
    }
}
