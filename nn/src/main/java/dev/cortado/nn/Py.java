package dev.cortado.nn;

import java.math.BigDecimal;

/** Python's spellings, for module reprs that read as PyTorch prints them. */
final class Py {
    private Py() {
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back to v (as Java's), in plain
     * notation for decimal exponents -4 to 15 ({@code 0.0001}, {@code 10000000.0}) and in Python's
     * scientific form outside ({@code 1e-05}, {@code 1e+16}).
     */
    static String floatRepr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        String sign = v < 0 ? "-" : "";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
