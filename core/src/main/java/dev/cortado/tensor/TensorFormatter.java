package dev.cortado.tensor;

import java.util.Locale;

/**
 * PyTorch-style printing: {@code tensor([[1., 2.], [3., 4.]], shape=(2, 2), grad_fn=<MulBackward0>)}.
 * Large tensors (over 1000 elements) show the first and last three entries of each dim.
 */
final class TensorFormatter {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;

    private TensorFormatter() {
    }

    static String format(Tensor t) {
        Tensor host = t.detach();
        boolean summarize = host.numel() > THRESHOLD;
        boolean isFloat = t.dtype() == DType.FLOAT32;
        double[] values = isFloat ? host.toDoubleArray() : null;
        long[] longs = isFloat ? null : host.toLongArray();
        Style style = isFloat ? Style.of(values, i -> !summarize || shown(t.shape, i)) : null;
        // As PyTorch's formatter: a float column is as wide as its widest nonzero finite value, so a
        // -0.0, nan or inf wider than that stands out of line rather than widening every column.
        int width = 1;
        for (int i = 0; i < host.numel(); i++) {
            if ((!summarize || shown(t.shape, i)) && (!isFloat || values[i] != 0 && Double.isFinite(values[i]))) {
                width = Math.max(width, (isFloat ? style.format(values[i]) : Long.toString(longs[i])).length());
            }
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.numel() == 0) {
            sb.append("[]");
        } else {
            int[] strides = Shapes.contiguousStrides(t.shape);
            append(sb, t.shape, strides, 0, 0, "tensor(".length(), width, summarize, i -> isFloat ? style.format(values[i]) : Long.toString(longs[i]));
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
    private static boolean shown(int[] shape, int flat) {
        for (int d = shape.length - 1; d >= 0; d--) {
            int idx = flat % shape[d];
            flat /= shape[d];
            if (shape[d] > 2 * EDGE && idx >= EDGE && idx < shape[d] - EDGE) {
                return false;
            }
        }
        return true;
    }

    private static void append(StringBuilder sb, int[] shape, int[] strides, int dim, int base, int indent, int width,
                               boolean summarize, java.util.function.IntFunction<String> item) {
        if (shape.length == 0) {
            sb.append(item.apply(0));
            return;
        }
        int n = shape[dim];
        boolean cut = summarize && n > 2 * EDGE;
        sb.append('[');
        if (dim == shape.length - 1) {
            int perLine = Math.max(1, (LINE_WIDTH - indent - 1) / (width + 2));
            int printed = 0;
            for (int i = 0; i < n; i++) {
                if (cut && i == EDGE) {
                    sb.append(" ..., ");
                    i = n - EDGE - 1;
                    continue;
                }
                if (printed > 0 && printed % perLine == 0) {
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
            if (cut && i == EDGE) {
                sb.append("...").append(separator);
                i = n - EDGE - 1;
                continue;
            }
            append(sb, shape, strides, dim + 1, base + i * strides[dim], indent + 1, width, summarize, item);
            if (i < n - 1) {
                sb.append(separator);
            }
        }
        sb.append(']');
    }

    /** PyTorch's choice between integer-looking, fixed-point and scientific notation. */
    private record Style(boolean integers, boolean scientific) {
        static Style of(double[] v, java.util.function.IntPredicate visible) {
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            boolean integers = true;
            boolean any = false;
            for (int i = 0; i < v.length; i++) {
                double x = v[i];
                if (!visible.test(i) || !Double.isFinite(x)) {
                    continue;
                }
                integers &= x == Math.rint(x);
                double a = Math.abs(x);
                if (a != 0) {
                    any = true;
                    maxAbs = Math.max(maxAbs, a);
                    minAbs = Math.min(minAbs, a);
                }
            }
            if (!any) {
                return new Style(integers, false);
            }
            boolean wide = maxAbs / minAbs > 1000 || maxAbs > 1e8;
            return integers ? new Style(true, wide) : new Style(false, wide || minAbs < 1e-4);
        }

        String format(double x) {
            if (Double.isNaN(x)) {
                return "nan";
            }
            if (Double.isInfinite(x)) {
                return x > 0 ? "inf" : "-inf";
            }
            if (scientific) {
                String s = String.format(Locale.ROOT, "%.4e", x);
                int e = s.indexOf('e');
                String exp = s.substring(e + 1);
                char sign = exp.charAt(0) == '-' ? '-' : '+';
                String digits = exp.replaceFirst("^[+-]", "");
                return s.substring(0, e) + "e" + sign + (digits.length() < 2 ? "0" + digits : digits);
            }
            if (integers) {
                return String.format(Locale.ROOT, "%.0f.", x);
            }
            return String.format(Locale.ROOT, "%.4f", x);
        }
    }
}
