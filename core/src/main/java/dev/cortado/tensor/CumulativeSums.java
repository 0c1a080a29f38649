package dev.cortado.tensor;

/**
 * {@code torch.cumsum}: running sums along a dim (the backend's {@code cumsum}, float32 through
 * a double as PyTorch's CPU does); its gradient is the running sum of the output gradient taken
 * from the other end.
 */
final class CumulativeSums {
    private CumulativeSums() {
    }

    static Tensor cumsum(Tensor x, int dim) {
        if (x.dim() == 0) {
            Shapes.dim("cumsum", dim, 0);
            return ViewOps.clone(x);
        }
        int d = Shapes.dim("cumsum", dim, x.dim());
        Tensor out = Kernels.emptyLike(x, x.dtype());
        if (out.numel() > 0) {
            Kernels.backend(x).cumsum(out, x, d);
        }
        if (x.dtype() != DType.FLOAT32) {
            return out;
        }
        return Autograd.record(out, "CumsumBackward0", (g, n) -> new Tensor[] {g.flip(d).cumsum(d).flip(d)}, x);
    }
}
