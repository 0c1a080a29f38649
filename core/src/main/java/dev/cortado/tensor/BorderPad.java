package dev.cortado.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Reflect, replicate and circular padding, built from differentiable views (narrow, flip,
 * expand) and cat: they need no kernel of their own, run on every backend, and get their
 * gradients from those ops. Dims are padded one at a time, last dim first; for these modes the
 * corners come out the same in any order, and as PyTorch's.
 */
final class BorderPad {
    private BorderPad() {
    }

    static Tensor pad(Tensor x, int[] pad, PadMode mode) {
        Tensor out = x;
        for (int i = 0; i < pad.length / 2; i++) {
            int d = x.dim() - 1 - i;
            int left = pad[2 * i];
            int right = pad[2 * i + 1];
            check(x, d, left, right, mode);
            if (left == 0 && right == 0) {
                continue;
            }
            List<Tensor> parts = new ArrayList<>(3);
            if (left > 0) {
                parts.add(before(out, d, left, mode));
            }
            parts.add(out);
            if (right > 0) {
                parts.add(after(out, d, right, mode));
            }
            out = Joining.cat(parts, d);
        }
        return out;
    }

    /** The n slices that go before index 0 of dim d. */
    private static Tensor before(Tensor t, int d, int n, PadMode mode) {
        int size = t.shape[d];
        return switch (mode) {
            case REFLECT -> t.narrow(d, 1, n).flip(d);
            case REPLICATE -> t.narrow(d, 0, 1).expand(Joining.withSize(t.shape, d, n));
            case CIRCULAR -> t.narrow(d, size - n, n);
            case CONSTANT -> throw new IllegalArgumentException("pad: constant padding is not a border mode");
        };
    }

    /** The n slices that go after the last index of dim d. */
    private static Tensor after(Tensor t, int d, int n, PadMode mode) {
        int size = t.shape[d];
        return switch (mode) {
            case REFLECT -> t.narrow(d, size - 1 - n, n).flip(d);
            case REPLICATE -> t.narrow(d, size - 1, 1).expand(Joining.withSize(t.shape, d, n));
            case CIRCULAR -> t.narrow(d, 0, n);
            case CONSTANT -> throw new IllegalArgumentException("pad: constant padding is not a border mode");
        };
    }

    private static void check(Tensor x, int d, int left, int right, PadMode mode) {
        int size = x.shape[d];
        String which = "pad: " + mode.name().toLowerCase(java.util.Locale.ROOT) + " padding (" + left + ", " + right + ") of dimension "
                + d + " of input " + Shapes.str(x.shape);
        boolean negative = left < 0 || right < 0;
        switch (mode) {
            case REFLECT -> {
                if (negative || left >= size || right >= size) {
                    throw new IllegalArgumentException(which + " must be non-negative and less than its size " + size
                            + " (the edge is not repeated)");
                }
            }
            case REPLICATE -> {
                if (negative) {
                    throw new IllegalArgumentException(which + " must be non-negative");
                }
                if (size == 0 && left + right > 0) {
                    throw new IllegalArgumentException(which + ": an empty dimension has no edge to repeat");
                }
            }
            case CIRCULAR -> {
                if (negative || left > size || right > size) {
                    throw new IllegalArgumentException(which + " must be non-negative and at most its size " + size
                            + " (it wraps around once)");
                }
            }
            case CONSTANT -> throw new IllegalArgumentException("pad: constant padding is not a border mode");
        }
    }
}
