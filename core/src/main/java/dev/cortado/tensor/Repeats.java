package dev.cortado.tensor;

import java.util.Arrays;

/** {@code torch.tile}, {@code repeat_interleave} and {@code diff}: copies and differences of slices along dims. */
final class Repeats {
    private Repeats() {
    }

    /** Like repeat, but reps shorter than the dims are padded with leading 1s, and longer ones add leading dims. */
    static Tensor tile(Tensor x, int[] reps) {
        if (reps.length < x.dim()) {
            int[] padded = new int[x.dim()];
            Arrays.fill(padded, 1);
            System.arraycopy(reps, 0, padded, x.dim() - reps.length, reps.length);
            reps = padded;
        }
        return x.repeat(reps);
    }

    /** Each slice along dim (null: of the flattened tensor) repeated {@code repeats} times in place. */
    static Tensor repeatInterleave(Tensor x, int repeats, Integer dim) {
        if (repeats < 0) {
            throw new IllegalArgumentException("repeat_interleave: repeats can not be negative, got " + repeats);
        }
        Tensor t = dim == null ? x.reshape(-1) : x;
        int d = dim == null ? 0 : Shapes.dim("repeat_interleave", dim, Math.max(t.dim(), 1));
        if (t.dim() == 0) {
            t = t.reshape(1);
        }
        int[] expanded = new int[t.dim() + 1];
        for (int i = 0, j = 0; i < expanded.length; i++) {
            expanded[i] = i == d + 1 ? repeats : t.size(j++);
        }
        int[] shape = t.shape();
        shape[d] *= repeats;
        return t.unsqueeze(d + 1).expand(expanded).reshape(shape);
    }

    /** Slice i along dim repeated repeats[i] times (an int64 vector as long as the dim, or one element for all). */
    static Tensor repeatInterleave(Tensor x, Tensor repeats, Integer dim) {
        String op = "repeat_interleave";
        if (repeats.dtype() != DType.INT64 || repeats.dim() > 1) {
            throw new IllegalArgumentException(op + ": repeats must be a 0-d or 1-d int64 tensor, got " + repeats.dtype() + " "
                    + Shapes.str(repeats.shape()));
        }
        Tensor t = dim == null ? x.reshape(-1) : x.dim() == 0 ? x.reshape(1) : x;
        int d = dim == null ? 0 : Shapes.dim(op, dim, Math.max(x.dim(), 1));
        long[] counts = repeats.toLongArray();
        if (counts.length == 1) {
            return repeatInterleave(x, (int) counts[0], dim);
        }
        if (counts.length != t.size(d)) {
            throw new IllegalArgumentException(op + ": repeats must have the same size as input along dim " + d + ", got " + counts.length
                    + " repeats for size " + t.size(d));
        }
        return t.indexSelect(d, positions(op, counts, x.device()));
    }

    /** {@code torch.repeat_interleave(repeats)} of a 1-d int64 tensor: index i repeated repeats[i] times. */
    static Tensor repeatInterleave(Tensor repeats) {
        if (repeats.dtype() != DType.INT64 || repeats.dim() != 1) {
            throw new IllegalArgumentException("repeat_interleave: repeats must be a 1-d int64 tensor, got " + repeats.dtype() + " "
                    + Shapes.str(repeats.shape()));
        }
        return positions("repeat_interleave", repeats.toLongArray(), repeats.device());
    }

    /** Index i repeated counts[i] times, as an int64 vector on device. */
    static Tensor positions(String op, long[] counts, Device device) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(op + ": repeats can not be negative, got " + c);
            }
            total += c;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + total + " repeats in all exceed a tensor's size");
        }
        long[] index = new long[(int) total];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            for (long r = 0; r < counts[i]; r++) {
                index[at++] = i;
            }
        }
        return Creation.fromLongs(index, new int[] {index.length}, device);
    }

    /** The n-th forward difference along dim, after prepend and append (either may be null) are joined on. */
    static Tensor diff(Tensor x, int n, int dim, Tensor prepend, Tensor append) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException("diff: expects input to be at least one-dimensional");
        }
        if (n < 0) {
            throw new IllegalArgumentException("diff: order must be non-negative but got " + n);
        }
        int d = Shapes.dim("diff", dim, x.dim());
        Tensor y = x;
        if (prepend != null || append != null) {
            java.util.List<Tensor> parts = new java.util.ArrayList<>();
            if (prepend != null) {
                parts.add(prepend);
            }
            parts.add(x);
            if (append != null) {
                parts.add(append);
            }
            y = Tensor.cat(parts, d);
        }
        for (int i = 0; i < n && y.size(d) > 0; i++) {
            int len = y.size(d) - 1;
            y = y.narrow(d, 1, len).sub(y.narrow(d, 0, len));
        }
        return y;
    }
}
