package dev.cortado.tensor;

import java.util.List;

/**
 * {@code torch.prod}: the product along a dim by halving, each step multiplying the first half of
 * the remaining elements by the second (an odd last one carried over). Nothing is divided, so the
 * gradient, which the multiplications carry, is right where the input has zeros.
 */
final class Products {
    private Products() {
    }

    static Tensor prod(Tensor x, int dim, boolean keepdim) {
        if (x.dim() == 0) {
            Shapes.dim("prod", dim, 0);
            return x.mul(1);
        }
        int d = Shapes.dim("prod", dim, x.dim());
        Tensor y = x;
        int n = x.size(d);
        if (n == 0) {
            int[] shape = x.shape();
            shape[d] = 1;
            y = Creation.full(shape, 1, x.dtype(), x.device());
            return keepdim ? y : y.squeeze(d);
        }
        while (n > 1) {
            int half = n / 2;
            Tensor paired = y.narrow(d, 0, half).mul(y.narrow(d, half, half));
            y = n % 2 == 0 ? paired : Tensor.cat(List.of(paired, y.narrow(d, n - 1, 1)), d);
            n = y.size(d);
        }
        if (y == x) {
            y = x.mul(1);
        }
        return keepdim ? y : y.squeeze(d);
    }

    /** The product of all elements, 0-dim. */
    static Tensor prod(Tensor x) {
        return prod(x.reshape(-1), 0, false);
    }
}
