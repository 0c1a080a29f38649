package dev.cortado.tensor;

/**
 * {@code Tensor.unfold(dim, size, step)}: every window of {@code size} elements along dim, taken
 * {@code step} apart, as a new last dim. It is a view (windows that overlap share memory), and its
 * gradient adds each window's gradient back where the window lies.
 */
final class Unfolding {
    private Unfolding() {
    }

    static Tensor unfold(Tensor x, int dim, int size, int step) {
        if (step <= 0) {
            throw new IllegalArgumentException("unfold: step is " + step + " but must be > 0");
        }
        if (size < 0) {
            throw new IllegalArgumentException("unfold: size is " + size + " but must be >= 0");
        }
        if (x.dim() == 0) {
            // PyTorch treats a 0-dim tensor as one element along dim 0.
            Shapes.dim("unfold", dim, 0);
            if (size > 1) {
                throw new IllegalArgumentException("unfold: maximum size for a 0-dim tensor is 1 but size is " + size);
            }
            return x.reshape(1).narrow(0, 0, size);
        }
        int d = Shapes.dim("unfold", dim, x.dim());
        int n = x.shape[d];
        if (size > n) {
            throw new IllegalArgumentException("unfold: maximum size for tensor at dimension " + d + " is " + n + " but size is " + size
                    + " (shape " + Shapes.str(x.shape) + ")");
        }
        int windows = (n - size) / step + 1;
        int[] shape = java.util.Arrays.copyOf(x.shape, x.dim() + 1);
        int[] strides = java.util.Arrays.copyOf(x.strides, x.dim() + 1);
        shape[d] = windows;
        strides[d] = x.strides[d] * step;
        shape[x.dim()] = size;
        strides[x.dim()] = x.strides[d];
        Tensor out = Kernels.view(x, shape, strides, x.offset);
        int[] original = x.shape;
        return Autograd.record(out, "UnfoldBackward0", (g, needs) -> new Tensor[] {backward(g, original, d, size, step)}, x);
    }

    /** Zeros of the input's shape plus, for each offset k in a window, the gradients of the windows' k-th elements where they lie. */
    private static Tensor backward(Tensor g, int[] shape, int d, int size, int step) {
        Tensor sum = Creation.full(shape, 0, g.dtype(), g.device());
        int last = g.dim() - 1;
        for (int k = 0; k < size; k++) {
            // Window i's k-th element sits at i * step + k; windows overlap when step < size, so add.
            Tensor placed = ViewOps.embed(g.select(last, k), shape, d, k, step);
            sum = sum.add(placed);
        }
        return sum;
    }
}
