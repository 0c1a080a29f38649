package dev.cortado.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * PyTorch-style printing: {@code tensor([[1., 2.], [3., 4.]], shape=(2, 2), grad_fn=<MulBackward0>)}.
 * Large tensors (over {@link PrintOptions#threshold()} elements) show the first and last
 * {@link PrintOptions#edgeItems()} entries of each dim. Numbers are rounded as Python's
 * {@code format} rounds them: the exact binary value, half to even.
 */
final class TensorFormatter {
    private TensorFormatter() {
    }

    static String format(Tensor t) {
        PrintOptions options = Cortado.printOptions();
        Tensor host = t.detach();
        boolean summarize = host.numel() > options.threshold();
        int edge = options.edgeItems();
        boolean isFloat = t.dtype() == DType.FLOAT32;
        double[] values = isFloat ? host.toDoubleArray() : null;
        long[] longs = isFloat ? null : host.toLongArray();
        java.util.function.IntPredicate visible = i -> !summarize || shown(t.shape, i, edge);
        Style style = isFloat ? Style.of(values, visible, options) : null;
        int width = 1;
        if (isFloat) {
            width = style.width();
        } else {
            for (int i = 0; i < host.numel(); i++) {
                if (visible.test(i)) {
                    width = Math.max(width, Long.toString(longs[i]).length());
                }
            }
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.numel() == 0) {
            sb.append("[]");
        } else {
            int[] strides = Shapes.contiguousStrides(t.shape);
            append(sb, t.shape, strides, 0, 0, "tensor(".length(), width, summarize, edge, options.lineWidth(),
                    i -> isFloat ? style.format(values[i]) : Long.toString(longs[i]));
        }
        sb.append(", shape=").append(Shapes.str(t.shape));
        if (t.dtype() != DType.FLOAT32) {
            sb.append(", dtype=").append(t.dtype());
        }
        if (!t.device().equals(Device.CPU)) {
            sb.append(", device='").append(t.device()).append('\'');
        }
        if (t.gradFn() != null) {
            sb.append(", grad_fn=<").append(t.gradFn().name()).append('>');
        } else if (t.requiresGrad()) {
            sb.append(", requires_grad=True");
        }
        return sb.append(')').toString();
    }

    /** Whether flat index i is among the edge items of every dim. */
    private static boolean shown(int[] shape, int flat, int edge) {
        for (int d = shape.length - 1; d >= 0; d--) {
            int idx = flat % shape[d];
            flat /= shape[d];
            if (shape[d] > 2 * edge && idx >= edge && idx < shape[d] - edge) {
                return false;
            }
        }
        return true;
    }

    private static void append(StringBuilder sb, int[] shape, int[] strides, int dim, int base, int indent, int width,
                               boolean summarize, int edge, int lineWidth, java.util.function.IntFunction<String> item) {
        if (shape.length == 0) {
            sb.append(item.apply(0));
            return;
        }
        int n = shape[dim];
        boolean cut = summarize && n > 2 * edge;
        sb.append('[');
        if (dim == shape.length - 1) {
            int perLine = Math.max(1, (lineWidth - indent - 1) / (width + 2));
            int printed = 0;
            for (int i = 0; i < n; i++) {
                if (cut && i == edge) {
                    sb.append(" ..., ");
                    i = n - edge - 1;
                    continue;
                }
                if (printed > 0 && printed % perLine == 0) {
                    // A wrapped line ends with the comma, as PyTorch's does, not with the space after it.
                    if (sb.charAt(sb.length() - 1) == ' ') {
                        sb.setLength(sb.length() - 1);
                    }
                    sb.append('\n').append(" ".repeat(indent + 1));
                }
                String s = item.apply(base + i * strides[dim]);
                sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
                printed++;
                if (i < n - 1) {
                    sb.append(", ");
                }
            }
            sb.append(']');
            return;
        }
        String separator = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
        for (int i = 0; i < n; i++) {
            if (cut && i == edge) {
                sb.append("...").append(separator);
                i = n - edge - 1;
                continue;
            }
            append(sb, shape, strides, dim + 1, base + i * strides[dim], indent + 1, width, summarize, edge, lineWidth, item);
            if (i < n - 1) {
                sb.append(separator);
            }
        }
        sb.append(']');
    }

    /**
     * PyTorch's {@code _Formatter}: integer-looking, fixed-point or scientific notation, and the
     * column width, which is that of the widest nonzero finite value in the notation chosen from
     * the values, even when {@link PrintOptions#sciMode()} then forces the other one (so a -0.0,
     * nan or inf wider than that stands out of line rather than widening every column).
     */
    private record Style(boolean integers, boolean scientific, int precision, int width) {
        static Style of(double[] v, java.util.function.IntPredicate visible, PrintOptions options) {
            int p = options.precision();
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            boolean integers = true;
            boolean any = false;
            for (int i = 0; i < v.length; i++) {
                double x = v[i];
                if (!visible.test(i) || !Double.isFinite(x) || x == 0) {
                    continue;
                }
                integers &= x == Math.rint(x);
                double a = Math.abs(x);
                any = true;
                maxAbs = Math.max(maxAbs, a);
                minAbs = Math.min(minAbs, a);
            }
            boolean scientific = any && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || !integers && minAbs < 1e-4);
            int width = 1;
            for (int i = 0; any && i < v.length; i++) {
                double x = v[i];
                if (visible.test(i) && Double.isFinite(x) && x != 0) {
                    int w = scientific ? exponential(x, p).length() : integers ? fixed(x, 0).length() + 1 : fixed(x, p).length();
                    width = Math.max(width, w);
                }
            }
            boolean forced = options.sciMode() != null ? options.sciMode() : scientific;
            return new Style(integers, forced, p, width);
        }

        String format(double x) {
            if (Double.isNaN(x)) {
                return "nan";
            }
            if (Double.isInfinite(x)) {
                return x > 0 ? "inf" : "-inf";
            }
            if (scientific) {
                return exponential(x, precision);
            }
            return integers ? fixed(x, 0) + "." : fixed(x, precision);
        }
    }

    /** Python's {@code '{:.pf}'.format(x)}. */
    static String fixed(double x, int p) {
        String s = new BigDecimal(x).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        return negative(x) && !s.startsWith("-") ? "-" + s : s;
    }

    /** Python's {@code '{:.pe}'.format(x)}: one digit, p decimals, a signed exponent of at least two digits. */
    static String exponential(double x, int p) {
        String sign = negative(x) ? "-" : "";
        if (x == 0) {
            return sign + "0" + (p > 0 ? "." + "0".repeat(p) : "") + "e+00";
        }
        BigDecimal rounded = new BigDecimal(Math.abs(x)).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
        String digits = rounded.unscaledValue().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        digits = (digits + "0".repeat(p + 1)).substring(0, p + 1);
        String mantissa = digits.charAt(0) + (p > 0 ? "." + digits.substring(1) : "");
        String e = Integer.toString(Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    private static boolean negative(double x) {
        return x < 0 || x == 0 && 1 / x < 0;
    }
}
