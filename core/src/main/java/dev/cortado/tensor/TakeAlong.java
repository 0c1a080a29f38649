package dev.cortado.tensor;

/**
 * {@code torch.take_along_dim}: gather with broadcasting, the dims other than dim of the input and
 * the indices broadcast against each other first; without a dim, positions in the flattened input.
 */
final class TakeAlong {
    private TakeAlong() {
    }

    static Tensor takeAlongDim(Tensor x, Tensor indices, Integer dim) {
        String op = "take_along_dim";
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": dtype of indices should be int64, got " + indices.dtype());
        }
        if (dim == null) {
            return x.reshape(-1).gather(0, indices.reshape(-1));
        }
        if (x.dim() != indices.dim()) {
            throw new IllegalArgumentException(op + ": input and indices should have the same number of dimensions, but got "
                    + x.dim() + " dimensions for input, and " + indices.dim() + " dimensions for indices");
        }
        int d = Shapes.dim(op, dim, Math.max(x.dim(), 1));
        if (x.dim() == 0) {
            return x.reshape(1).gather(0, indices.reshape(1)).reshape();
        }
        int[] selfSizes = x.shape();
        selfSizes[d] = indices.size(d);
        int[] broadcast = Shapes.broadcast(op, selfSizes, indices.shape());
        int[] indexShape = broadcast.clone();
        broadcast[d] = x.size(d);
        return x.expand(broadcast).gather(d, indices.expand(indexShape));
    }

    /** {@code torch.cross(a, b, dim)}: the cross product of 3-vectors along dim, broadcast. */
    static Tensor cross(Tensor a, Tensor b, int dim) {
        String op = "cross";
        int[] shape = Shapes.broadcast(op, a.shape(), b.shape());
        int d = Shapes.dim(op, dim, Math.max(shape.length, 1));
        if (shape.length == 0 || shape[d] != 3) {
            throw new IllegalArgumentException(op + ": inputs dimension " + dim + " must have length 3, got shapes " + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()));
        }
        Tensor x = a.expand(shape);
        Tensor y = b.expand(shape);
        Tensor[] p = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            int j = (i + 1) % 3;
            int k = (i + 2) % 3;
            p[i] = x.narrow(d, j, 1).mul(y.narrow(d, k, 1)).sub(x.narrow(d, k, 1).mul(y.narrow(d, j, 1)));
        }
        return Tensor.cat(java.util.List.of(p), d);
    }
}
