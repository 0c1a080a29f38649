package dev.cortado.tensor;

/**
 * {@code torch.trapezoid}: the trapezoidal rule along a dim, with even spacing dx, or with the
 * sample points x (1-d along dim, or y's shape), in PyTorch's forms so the roundings agree.
 */
final class Trapezoid {
    private Trapezoid() {
    }

    static Tensor trapezoid(Tensor y, double dx, int dim) {
        int d = sampleDim(y, dim);
        if (y.size(d) == 0) {
            return y.sum(new int[] {d}, false);
        }
        Tensor ends = y.select(d, 0).add(y.select(d, -1));
        return y.sum(new int[] {d}, false).sub(ends.mul(0.5)).mul(dx);
    }

    static Tensor trapezoid(Tensor y, Tensor x, int dim) {
        int d = sampleDim(y, dim);
        Kernels.sameDevice("trapezoid", y, x);
        int n = y.size(d);
        Tensor spacing;
        if (x.dim() == 1) {
            if (x.size(0) != n) {
                throw new IllegalArgumentException("trapezoid: there must be one `x` value for each sample point, got " + x.size(0)
                        + " for " + n + " samples along dim " + d);
            }
            int[] shape = new int[y.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[d] = n;
            spacing = x.reshape(shape);
        } else if (x.dim() <= y.dim()) {
            // Fewer dims broadcast from the left, as PyTorch pads x's shape with leading ones.
            int[] shape = new int[y.dim()];
            java.util.Arrays.fill(shape, 1);
            System.arraycopy(x.shape(), 0, shape, y.dim() - x.dim(), x.dim());
            spacing = x.reshape(shape);
        } else {
            throw new IllegalArgumentException("trapezoid: x " + Shapes.str(x.shape()) + " has more dims than y " + Shapes.str(y.shape()));
        }
        if (spacing.size(d) != n) {
            throw new IllegalArgumentException("trapezoid: x " + Shapes.str(x.shape()) + " must have " + n + " sample points along dim " + d
                    + " of y " + Shapes.str(y.shape()) + ", got " + spacing.size(d));
        }
        Shapes.broadcast("trapezoid", spacing.shape(), y.shape());
        if (n == 0) {
            return y.sum(new int[] {d}, false);
        }
        Tensor widths = spacing.narrow(d, 1, n - 1).sub(spacing.narrow(d, 0, n - 1));
        Tensor heights = y.narrow(d, 1, n - 1).add(y.narrow(d, 0, n - 1));
        return widths.mul(heights).sum(new int[] {d}, false).div(2);
    }

    /** The dim of the samples; a 0-dim y has none (PyTorch's IndexError). */
    private static int sampleDim(Tensor y, int dim) {
        if (y.dim() == 0) {
            throw new IndexOutOfBoundsException("trapezoid: dimension specified as " + dim + " but tensor has no dimensions");
        }
        return Shapes.dim("trapezoid", dim, y.dim());
    }
}
